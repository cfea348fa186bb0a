"""Audio-visual synchrony: the pretraining task that only the sounding object's pulse solves.

On SynthAV every object pulses with its own burst rhythm and the sounding object's rhythm is
its audio envelope (:mod:`avssl.datasets.synthav.envelope`). Given a clip, its own audio and
the audio of another clip of the *same class* (the same sound family, another envelope), the
network must say which audio is the clip's: the timbre cannot tell them apart, only whether
the envelope follows the brightness of one of the objects. Unlike class labels, this cue is the
same for every class, so it could carry over from the pretraining classes to the target ones.

:class:`AVSyncNet` is the tiny audio-visual network of the method's configs (the video
TimeSformer, the audio transformer, the fusion layer over all tokens or the class tokens) with
a one-logit head that scores a (clip, audio) pair, or the two encoders with
:class:`FrameAlignedSyncHead` instead of the fusion.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import Tensor, nn

from avssl.models.backbones.audio_transformer import AudioTransformer
from avssl.models.backbones.mixable_timesformer import MixableTimeSformer
from avssl.models.necks.frame_aligned_sync import FrameAlignedSyncHead
from avssl.models.necks.transformer_fusion import TransformerFusion
from avssl.utils import register_all_modules

#: Partner kinds: ``same``: another clip of the clip's class (only the pulse tells them apart);
#: ``other``: a clip of another class (mostly another family, so the timbre can tell);
#: ``mixed``: ``same`` for a random half of the class pairs, ``other`` for the rest.
PARTNER_KINDS = ('same', 'other', 'mixed')

#: What :class:`AVSyncNet` scores pairs with: the fusion over all tokens, over the class tokens,
#: or the frame-aligned head (no fusion).
SYNC_TOKENS = ('all', 'cls', 'aligned')

#: Pixel mean and std of the tiny configs' data preprocessor.
PIXEL_MEAN, PIXEL_STD = 114.75, 57.375


def class_pair_batch(labels: np.ndarray, batch_size: int, gen: torch.Generator) -> Tensor:
    """Indices of ``batch_size`` clips drawn in class pairs: items ``2i`` and ``2i + 1`` share
    a class (drawn uniformly) and are two distinct clips of it.

    Raises:
        ValueError: If ``batch_size`` is odd or not positive, or a class has fewer than two clips.
    """
    if batch_size <= 0 or batch_size % 2:
        raise ValueError(f'batch_size must be a positive even number, got {batch_size}')
    classes = np.unique(labels)
    members = [np.flatnonzero(labels == c) for c in classes]
    small = [int(c) for c, m in zip(classes, members, strict=True) if len(m) < 2]
    if small:
        raise ValueError(f'every class needs two clips to draw a pair; classes {small} have one')
    out: list[int] = []
    for c in torch.randint(0, len(classes), (batch_size // 2,), generator=gen).tolist():
        two = torch.randperm(len(members[c]), generator=gen)[:2].tolist()
        out += [int(members[c][two[0]]), int(members[c][two[1]])]
    return torch.tensor(out, dtype=torch.long)


def sync_partners(batch_size: int, kind: str, gen: torch.Generator) -> Tensor:
    """Batch position whose audio is each item's negative, for a :func:`class_pair_batch`.

    ``same`` pairs ``2i`` with ``2i + 1``; ``other`` takes the item two places before (the
    previous class pair, wrapping round); ``mixed`` draws one of the two per class pair.

    Raises:
        ValueError: If ``kind`` is unknown or the batch cannot hold two class pairs.
    """
    if kind not in PARTNER_KINDS:
        raise ValueError(f'kind must be one of {PARTNER_KINDS}, got {kind!r}')
    if batch_size < 4 or batch_size % 2:
        raise ValueError(
            f'a sync batch needs an even size >= 4 (two class pairs), got {batch_size}'
        )
    idx = torch.arange(batch_size)
    same = idx.view(-1, 2).flip(1).reshape(-1)
    other = torch.roll(idx, 2)
    if kind == 'same':
        return same
    if kind == 'other':
        return other
    pick = (torch.rand(batch_size // 2, generator=gen) < 0.5).repeat_interleave(2)
    return torch.where(pick, same, other)


class AVSyncNet(nn.Module):
    """The tiny audio-visual network with a synchrony head.

    Args:
        video_start (str | None): The video encoder's start (an image ViT file or a converted
            TimeSformer file); None trains it from scratch.
        audio_start (str | None): The audio encoder's start; None trains it from scratch.
        fusion_layers (int): Encoder layers of the fusion. Defaults to 1 (the configs').
        tokens (str): ``'all'`` (the fusion reads every token; the only way it can see which
            object pulses when), ``'cls'``, or ``'aligned'`` (no fusion: a
            :class:`FrameAlignedSyncHead` on all tokens). Defaults to ``'all'``.
        dims (int): Width of the encoders and the fusion. Defaults to 96.
        num_frames (int): Frames per clip. Defaults to 8 (the configs').
        slots (Sequence[int] | None): The aligned head's audio time patch per frame (needed
            for ``tokens='aligned'``, ignored otherwise).
    """

    def __init__(
        self,
        video_start: str | None,
        audio_start: str | None,
        fusion_layers: int = 1,
        tokens: str = 'all',
        dims: int = 96,
        num_frames: int = 8,
        slots: Sequence[int] | None = None,
    ) -> None:
        super().__init__()
        if tokens not in SYNC_TOKENS:
            raise ValueError(f'tokens must be one of {SYNC_TOKENS}, got {tokens!r}')
        if tokens == 'aligned' and slots is None:
            raise ValueError("tokens='aligned' needs slots (the audio time patch of each frame)")
        register_all_modules(init_scope=True)  # the video layers come from mmaction's registry
        output = 'cls' if tokens == 'cls' else 'tokens'
        # The configs' tiny video backbone (divided space-time attention, no dropout: defaults).
        self.video = MixableTimeSformer(
            num_frames,
            112,
            16,
            video_start,
            dims,
            3,
            2,
            norm_cfg=dict(type='LN', eps=1e-6),
            output=output,
        )
        self.audio = AudioTransformer(
            input_tdim=256,
            input_fdim=128,
            patch_size=16,
            embed_dims=dims,
            depth=2,
            num_heads=3,
            pretrained=audio_start,
            output=output,
        )
        self.aligned = (
            FrameAlignedSyncHead(dims, num_frames, (256 // 16, 128 // 16), slots)
            if tokens == 'aligned'
            else None
        )
        self.fusion = (
            None
            if tokens == 'aligned'
            else TransformerFusion(
                video_dims=dims,
                audio_dims=dims,
                embed_dims=dims,
                num_layers=fusion_layers,
                num_heads=3,
                tokens=tokens,
            )
        )
        self.head = None if tokens == 'aligned' else nn.Linear(dims, 1)
        self.video.init_weights()
        self.audio.init_weights()

    def forward(self, frames: Tensor, audio: Tensor, partner: Tensor) -> Tensor:
        """Score each clip with its own audio (column 0) and its partner's (column 1).

        Args:
            frames (Tensor): ``(B, 3, num_frames, 112, 112)`` pixels in [0, 255].
            audio (Tensor): ``(B, 1, 256, 128)`` normalised log-mel windows.
            partner (Tensor): ``(B,)`` batch positions of the negative audio.

        Returns:
            Tensor: ``(B, 2)`` logits; the right answer is always column 0.
        """
        video = self.video((frames - PIXEL_MEAN) / PIXEL_STD)
        sound = self.audio(audio)
        if self.aligned is not None:
            return torch.stack([self.aligned(video, sound), self.aligned(video, sound[partner])], 1)
        own = self.head(self.fusion(video, sound)).squeeze(-1)
        other = self.head(self.fusion(video, sound[partner])).squeeze(-1)
        return torch.stack([own, other], dim=1)


def window_envelope(
    logmel: np.ndarray,
    times: np.ndarray,
    window_start: float,
    hop: float = 0.01,
    frame_length: float = 0.025,
    half_width: int = 2,
) -> np.ndarray:
    """The audio envelope at some times: the mean log-mel energy of the filterbank frames
    within ``half_width`` hops of each time.

    Args:
        logmel (np.ndarray): ``(T, F)`` log-mel window.
        times (np.ndarray): ``(K,)`` clip times in seconds, inside the window.
        window_start (float): Clip time of the window's first sample, in seconds.
        hop (float): Filterbank hop in seconds. Defaults to 0.01.
        frame_length (float): Filterbank frame length in seconds. Defaults to 0.025.
        half_width (int): Filterbank frames each side of a time. Defaults to 2.

    Returns:
        np.ndarray: ``(K,)`` float32 energies.

    Raises:
        ValueError: If a time lies outside the window.
    """
    energy = logmel.astype(np.float32).mean(axis=1)
    centres = np.rint((np.asarray(times) - window_start - frame_length / 2) / hop).astype(int)
    if (centres < 0).any() or (centres >= energy.shape[0]).any():
        raise ValueError(
            f'times {np.asarray(times).tolist()} fall outside the log-mel window starting at '
            f'{window_start:.3f} s ({energy.shape[0]} frames)'
        )
    return np.array(
        [energy[max(0, c - half_width) : c + half_width + 1].mean() for c in centres], np.float32
    )


def pulse_match(frames: np.ndarray, envelope: np.ndarray, top: int = 20) -> float:
    """How well some pixels' brightness follows an envelope, with nothing learned.

    The Pearson correlation over frames between each pixel's brightness (the mean of its RGB
    values) and ``envelope``, averaged over the ``top`` best pixels. A clip's own audio should
    match the pixels of its sounding object, which pulse with it.

    Args:
        frames (np.ndarray): ``(K, H, W, 3)`` frames.
        envelope (np.ndarray): ``(K,)`` audio envelope at the frames' times.
        top (int): Pixels averaged. Defaults to 20.

    Returns:
        float: The score (higher: a better match).
    """
    brightness = frames.astype(np.float32).mean(axis=-1).reshape(frames.shape[0], -1)
    brightness = brightness - brightness.mean(axis=0)
    env = np.asarray(envelope, np.float32) - float(np.mean(envelope))
    norms = np.linalg.norm(brightness, axis=0) * float(np.linalg.norm(env)) + 1e-6
    corr = (brightness * env[:, None]).sum(axis=0) / norms
    return float(np.sort(corr)[-top:].mean())
