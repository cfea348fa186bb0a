"""Fusion that adds the video token of the patches that pulse with the sound."""

from __future__ import annotations

import os.path as osp
from collections.abc import Sequence
from typing import Any

import torch
from mmengine.logging import print_log
from torch import Tensor, nn

from avssl.registry import MODELS

from .frame_aligned_sync import FrameAlignedSyncHead
from .transformer_fusion import TransformerFusion


@MODELS.register_module()
class SyncPoolFusion(TransformerFusion):
    """The class-token fusion plus the appearance of the sounding object, found by synchrony.

    A :class:`TransformerFusion` (``tokens='cls'``) reads the two class tokens, as in the
    method's network. Beside it, a :class:`FrameAlignedSyncHead` scores how well each video
    patch's tokens vary over the frames with the audio tokens of the same times; a softmax over
    the patches (``temperature``) weights each patch's tokens averaged over the frames, and
    that pooled token, normalised and projected, is added to the fused one::

        out = fusion(v_cls, a_cls) + proj(norm(sum_n softmax(s / temperature)_n * mean_t v_nt))

    A class token carries what is in the clip; which of its objects makes the sound is a
    matter of time (the source moves with its sound), which the class-token fusion loses
    (``docs/pretraining.md``, the synchrony probe). The patch scores need no label and do not
    depend on the classes, so the head can start from a synchrony task on other classes
    (``sync_checkpoint``).

    With ``follow_warp=True`` the fusion matches each token frame with the audio of the
    frame it shows when the clips were temporally warped: a recognizer that warps the clips it
    fuses sets :attr:`frame_index` (the warp's frame indices) while it does, and clears it after.

    Both backbones must return all their tokens (``output='tokens'``). With one stream only
    (a video-only or audio-only network) the output is the fusion's alone. As a subclass, a
    config turns a ``TransformerFusion`` neck into this one by setting ``type`` and the
    synchrony arguments.

    Args:
        num_frames (int): Frames T of the video tokens.
        audio_grid (Sequence[int]): The audio tokens' (time, frequency) patch grid.
        slots (Sequence[int]): For each frame, the audio time patch of the same time, or -1
            (:func:`centred_window_slots` gives them for the recognizer's sampling).
        proj_dims (int): Width of the synchrony projections. Defaults to 32.
        temperature (float): Softmax temperature over the patch scores. Defaults to 1.
        sync_checkpoint (str | None): A plain ``{key: tensor}`` file of the synchrony head
            (``video_proj.*``, ``audio_proj.*``, ``bias``), loaded strictly by
            :meth:`init_weights`; None starts it at random. Defaults to None.
        follow_warp (bool): Read :attr:`frame_index` (see above); False ignores it, so a
            warped clip's frames are matched with the audio of their positions. Defaults to
            False.
        **fusion (Any): :class:`TransformerFusion`'s arguments (``tokens`` must be ``'cls'``).

    Raises:
        ValueError: If the fusion does not read class tokens, the two streams' widths differ,
            or ``temperature`` <= 0.
    """

    def __init__(
        self,
        num_frames: int,
        audio_grid: Sequence[int],
        slots: Sequence[int],
        proj_dims: int = 32,
        temperature: float = 1.0,
        sync_checkpoint: str | None = None,
        follow_warp: bool = False,
        **fusion: Any,
    ) -> None:
        if fusion.get('tokens', 'cls') != 'cls':
            raise ValueError(
                f"SyncPoolFusion: the fusion reads the class tokens (tokens='cls'), got "
                f'{fusion.get("tokens")!r}'
            )
        if temperature <= 0:
            raise ValueError(f'SyncPoolFusion: temperature must be > 0, got {temperature}')
        super().__init__(**fusion)
        dims = int(fusion.get('video_dims', 768))
        if int(fusion.get('audio_dims', 768)) != dims:
            raise ValueError(
                f'SyncPoolFusion: video_dims ({dims}) and audio_dims '
                f'({fusion.get("audio_dims", 768)}) must be equal'
            )
        self.sync = FrameAlignedSyncHead(
            dims, num_frames, (int(audio_grid[0]), int(audio_grid[1])), slots, proj_dims
        )
        self.temperature = float(temperature)
        self.sync_checkpoint = sync_checkpoint
        self.follow_warp = bool(follow_warp)
        #: ``(B, T)`` frame indices of the clips being fused when they were temporally warped
        #: (set and cleared by the recognizer; read only with ``follow_warp``).
        self.frame_index: Tensor | None = None
        self.source_norm = nn.LayerNorm(dims)
        self.source_proj = nn.Linear(dims, self.embed_dims)

    def init_weights(self) -> None:
        """mmengine's initialisation, then the synchrony head from ``sync_checkpoint``.

        Raises:
            FileNotFoundError: If ``sync_checkpoint`` does not exist.
            RuntimeError: If its keys or shapes do not match the head (names both sides).
        """
        super().init_weights()
        if self.sync_checkpoint is None:
            return
        path = self.sync_checkpoint
        if not osp.isfile(path):
            raise FileNotFoundError(f'SyncPoolFusion: sync_checkpoint not found: {path}')
        state = torch.load(path, map_location='cpu', weights_only=True)
        own = self.sync.state_dict()
        missing, extra = sorted(set(own) - set(state)), sorted(set(state) - set(own))
        wrong = [k for k in own if k in state and state[k].shape != own[k].shape]
        if missing or extra or wrong:
            raise RuntimeError(
                f'SyncPoolFusion: {path} does not fit the synchrony head: missing {missing}, '
                f'unexpected {extra}, shape mismatch {wrong}'
            )
        self.sync.load_state_dict(state, strict=True)
        print_log(f'SyncPoolFusion: loaded the synchrony head from {path}', logger='current')

    def source_weights(self, video: Tensor, audio: Tensor) -> Tensor:
        """Softmax weights ``(B, N)`` of the video patches: where the sound comes from."""
        index = self.frame_index if self.follow_warp else None
        if index is not None and index.shape[0] != video.shape[0]:
            raise ValueError(
                f'SyncPoolFusion: frame_index has {index.shape[0]} rows for {video.shape[0]} clips'
            )
        scores = self.sync.patch_scores(video, audio, index)
        return (scores / self.temperature).softmax(dim=1)

    def forward(self, video: Tensor | None, audio: Tensor | None) -> Tensor:
        """Fuse.

        Args:
            video (Tensor | None): ``(B, 1 + N * T, D)`` tokens (patch-major).
            audio (Tensor | None): ``(B, 1 + Ta * F, D)`` tokens (time-major).

        Returns:
            Tensor: ``(B, embed_dims)``.
        """
        fused = super().forward(
            *(None if x is None else self.class_token(x) for x in (video, audio))
        )
        if video is None or audio is None:
            return fused
        weights = self.source_weights(video, audio)
        batch, dims = video.shape[0], video.shape[-1]
        patches = video[:, 1:].reshape(batch, -1, self.sync.num_frames, dims).mean(dim=2)
        source = torch.einsum('bn,bnd->bd', weights.to(patches.dtype), patches)
        return fused + self.source_proj(self.source_norm(source))

    @staticmethod
    def class_token(x: Tensor) -> Tensor:
        """The class token of all tokens ``(B, 1 + L, D)``; a ValueError on another shape."""
        if x.dim() != 3:
            raise ValueError(
                f'SyncPoolFusion expects all tokens (B, 1 + L, D), got {tuple(x.shape)}; set '
                "the backbones' output='tokens'"
            )
        return x[:, 0]
