"""Frame-aligned audio-visual synchrony: how each video patch varies over the frames together
with the audio of the same times."""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import Tensor, nn


def centred_window_slots(
    num_frames: int,
    frame_interval: int,
    fps: float,
    logmel_frames: int = 256,
    patch: int = 16,
    hop: float = 0.01,
    frame_length: float = 0.025,
) -> list[int]:
    """For each sampled frame, the audio time patch that holds its time, or -1 outside.

    The layout of the recognizer's inputs: ``SampleFrames`` takes ``num_frames`` frames
    ``frame_interval`` apart and ``LoadAudioWindow`` the log-mel window of ``logmel_frames``
    filterbank frames centred on the clip's centre; the audio transformer cuts that window into
    time patches of ``patch`` filterbank frames. A frame belongs to the patch that holds the
    filterbank frame centred nearest to it (rounding down between two).

    Args:
        num_frames (int): Frames per clip.
        frame_interval (int): Video frames between two sampled frames.
        fps (float): Video frame rate.
        logmel_frames (int): Filterbank frames of the window. Defaults to 256.
        patch (int): Filterbank frames per audio time patch. Defaults to 16.
        hop (float): Filterbank hop, seconds. Defaults to 0.01.
        frame_length (float): Filterbank frame length, seconds. Defaults to 0.025.

    Returns:
        list[int]: ``num_frames`` slots in ``[-1, logmel_frames // patch)``.

    Raises:
        ValueError: On a non-positive count, interval, rate or patch.
    """
    if min(num_frames, frame_interval, logmel_frames, patch) <= 0 or fps <= 0 or hop <= 0:
        raise ValueError(
            'centred_window_slots: num_frames, frame_interval, fps, logmel_frames, patch and '
            f'hop must be positive, got {num_frames}, {frame_interval}, {fps}, {logmel_frames}, '
            f'{patch}, {hop}'
        )
    half_window = ((logmel_frames - 1) * hop + frame_length) / 2
    slots = []
    for k in range(num_frames):
        offset = (k - (num_frames - 1) / 2) * frame_interval / fps  # from the clip's centre
        index = (offset + half_window - frame_length / 2) / hop  # filterbank frame at that time
        slot = math.floor(index / patch) if index >= 0 else -1
        slots.append(slot if 0 <= slot < logmel_frames // patch else -1)
    return slots


class FrameAlignedSyncHead(nn.Module):
    """Scores a (clip, audio) pair by how each patch's tokens vary over the frames together with
    the audio tokens of the same times: a learned, time-aligned pulse match.

    Both streams are projected to ``proj_dims``, centred over time (so only what changes with
    time counts, not what a patch looks like), and each patch's series is matched with the
    audio's by a dot product averaged over the frames (:meth:`patch_scores`); a log-sum-exp
    over the patches keeps the best-matching ones (:meth:`forward`). The synchrony probe trains
    it on the pretraining classes; :class:`SyncPoolFusion` uses its patch scores to find the
    sounding object.

    Args:
        dims (int): Token width of both encoders.
        num_frames (int): Frames T of the video tokens.
        audio_grid (tuple[int, int]): The audio tokens' (time, frequency) patch grid.
        slots (Sequence[int]): For each frame, the audio time patch of the same time, or -1
            where the frame lies outside the audio window (that frame is left out).
        proj_dims (int): Width of the projections. Defaults to 32.

    Raises:
        ValueError: If ``slots`` has not one entry per frame, an entry is out of the grid, or
            fewer than two frames are inside the window.
    """

    def __init__(
        self,
        dims: int,
        num_frames: int,
        audio_grid: tuple[int, int],
        slots: Sequence[int],
        proj_dims: int = 32,
    ) -> None:
        super().__init__()
        slots = [int(v) for v in slots]
        if len(slots) != num_frames or not all(-1 <= v < audio_grid[0] for v in slots):
            raise ValueError(
                f'slots must give one audio time patch in [-1, {audio_grid[0]}) per frame '
                f'({num_frames}), got {slots}'
            )
        keep = [t for t, v in enumerate(slots) if v >= 0]
        if len(keep) < 2:
            raise ValueError(f'at least two frames must lie inside the audio window, got {slots}')
        self.num_frames = num_frames
        self.audio_grid = tuple(audio_grid)
        self.register_buffer('frames_kept', torch.tensor(keep), persistent=False)
        self.register_buffer('frame_slots', torch.tensor(slots), persistent=False)
        self.register_buffer(
            'audio_slots', torch.tensor([slots[t] for t in keep]), persistent=False
        )
        self.video_proj = nn.Linear(dims, proj_dims)
        self.audio_proj = nn.Linear(dims, proj_dims)
        self.bias = nn.Parameter(torch.zeros(()))

    def check_tokens(self, video: Tensor, audio: Tensor) -> None:
        """Raise a ValueError naming the shapes if the tokens do not fit the head's layout."""
        rows = self.audio_grid[0] * self.audio_grid[1]
        if video.dim() != 3 or (video.shape[1] - 1) % self.num_frames:
            raise ValueError(
                f'FrameAlignedSyncHead expects video tokens (B, 1 + N * {self.num_frames}, D), '
                f"got {tuple(video.shape)}; set the video backbone's output='tokens'"
            )
        if audio.dim() != 3 or audio.shape[1] != 1 + rows:
            raise ValueError(
                f'FrameAlignedSyncHead expects audio tokens (B, 1 + {rows}, D) for the grid '
                f"{self.audio_grid}, got {tuple(audio.shape)}; set the audio backbone's "
                "output='tokens'"
            )

    def patch_scores(
        self, video: Tensor, audio: Tensor, frame_index: Tensor | None = None
    ) -> Tensor:
        """How well each video patch pulses with the audio, ``(B, N)``.

        Args:
            video (Tensor): ``(B, 1 + N * T, D)`` tokens, patch-major (as
                :class:`MixableTimeSformer` returns them).
            audio (Tensor): ``(B, 1 + Ta * F, D)`` tokens, time-major.
            frame_index (Tensor | None): ``(B, T)`` long: token frame ``t`` of clip ``b`` shows
                the sampled frame ``frame_index[b, t]`` (a temporal warp repeats some frames and
                drops others), so it is matched with the audio of that frame's time. None: frame
                ``t`` is frame ``t``. Frames outside the audio window are left out; a clip with
                fewer than two distinct frames inside scores 0 everywhere.

        Raises:
            ValueError: On tokens of another layout or a ``frame_index`` of another shape.
        """
        self.check_tokens(video, audio)
        batch, dims = video.shape[0], video.shape[-1]
        if frame_index is None:
            v = video[:, 1:].reshape(batch, -1, self.num_frames, dims)[:, :, self.frames_kept]
            a = audio[:, 1:].reshape(batch, *self.audio_grid, dims).mean(dim=2)
            a = a[:, self.audio_slots]
            v = self.video_proj(v)
            v = v - v.mean(dim=2, keepdim=True)  # (B, N, K, d)
            a = self.audio_proj(a)
            a = a - a.mean(dim=1, keepdim=True)  # (B, K, d)
            return torch.einsum('bnkd,bkd->bn', v, a) / self.frames_kept.numel()
        if frame_index.shape != (batch, self.num_frames):
            raise ValueError(
                f'frame_index must be (B, T) = ({batch}, {self.num_frames}), got '
                f'{tuple(frame_index.shape)}'
            )
        slots = self.frame_slots[frame_index.to(self.frame_slots.device).long()]  # (B, T)
        inside = (slots >= 0).to(video.dtype)  # (B, T)
        count = inside.sum(dim=1).clamp(min=1.0)
        v = self.video_proj(video[:, 1:].reshape(batch, -1, self.num_frames, dims))
        a = self.audio_proj(audio[:, 1:].reshape(batch, *self.audio_grid, dims).mean(dim=2))
        a = torch.gather(a, 1, slots.clamp(min=0)[..., None].expand(-1, -1, a.shape[-1]))
        w = inside[:, None, :, None]  # (B, 1, T, 1)
        v = (v - (v * w).sum(dim=2, keepdim=True) / count[:, None, None, None]) * w
        a = (a - (a * w[:, 0]).sum(dim=1, keepdim=True) / count[:, None, None]) * w[:, 0]
        return torch.einsum('bntd,btd->bn', v, a) / count[:, None]

    def forward(self, video: Tensor, audio: Tensor) -> Tensor:
        """Logits ``(B,)``: the log-sum-exp of :meth:`patch_scores` plus a bias."""
        return torch.logsumexp(self.patch_scores(video, audio), dim=1) + self.bias
