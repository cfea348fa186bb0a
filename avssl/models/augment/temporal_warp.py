"""Temporal warping (TWAug, SVFormer): stretch a few key frames over the whole clip.

A batch op rather than a data transform, because SVFormer draws one warp per batch.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor

from avssl.models.mixers.rng import SeededModule
from avssl.registry import MODELS

#: Number of key frames of each choice, in the order of ``probs``; 0 = identity.
KEY_FRAME_CHOICES: tuple[int, ...] = (2, 4, 0)


@MODELS.register_module()
class TemporalWarp(SeededModule):
    """Temporal warping of a batch of clips along the frame axis.

    A draw picks, with probabilities ``probs``, one of: keep 2 key frames, keep 4 key frames,
    or leave the clip alone. Keeping ``k`` key frames (``k`` is capped at T) means: choose ``k``
    distinct frames uniformly without replacement and sort them; every output position before
    the first key frame shows the first key frame, every position after the last shows the last
    one, each key frame stays at its own position, and between two consecutive key frames
    ``a < b`` a split point ``s`` drawn uniformly from ``a + 1 .. b`` decides that positions
    ``a .. s - 1`` show frame ``a`` and ``s .. b`` show frame ``b``. The result has T frames,
    non-decreasing indices and exactly ``k`` distinct frames.

    All randomness comes from the module's own CPU generator, seeded from ``seed`` or, when
    None, from ``torch.initial_seed()`` (plus a per-class salt) at first use, folded with the
    DDP rank (every rank draws its own warps); its state is in
    the module's state dict (``get_extra_state`` / ``set_extra_state``), so a resumed run
    repeats the warps of an uninterrupted one.

    Args:
        probs (Sequence[float]): Probabilities of (keep 2 key frames, keep 4 key frames,
            identity); non-negative, normalised to sum 1. Defaults to ``(1/3, 1/3, 1/3)``.
        per_sample (bool): False = one warp for the whole batch (SVFormer's code); True = one
            per clip (every view of every sample draws its own). Defaults to False.
        seed (int | None): Seed of the module's generator. Defaults to None.

    Attributes:
        last_indices (Tensor | None): The frame indices the last :meth:`forward` used, long,
            shape ``(B, T)`` for 5-D input or ``(B, V, T)`` for 6-D input (rows equal when
            ``per_sample=False``); output frame ``t`` of clip ``b`` is input frame
            ``last_indices[b, t]``. None before the first call.
    """

    def __init__(
        self,
        probs: Sequence[float] = (1 / 3, 1 / 3, 1 / 3),
        per_sample: bool = False,
        seed: int | None = None,
    ) -> None:
        super().__init__(seed)
        probs = [float(p) for p in probs]
        if len(probs) != len(KEY_FRAME_CHOICES) or any(p < 0 for p in probs) or sum(probs) <= 0:
            raise ValueError(
                f'TemporalWarp: probs must be 3 non-negative numbers (keep 2, keep 4, identity) '
                f'with a positive sum, got {probs}'
            )
        total = sum(probs)
        self.probs = tuple(p / total for p in probs)
        self.per_sample = bool(per_sample)
        self.last_indices: Tensor | None = None

    def extra_repr(self) -> str:
        probs = ', '.join(f'{p:.4g}' for p in self.probs)
        return f'probs=({probs}), per_sample={self.per_sample}'

    def sample_indices(self, num_frames: int) -> Tensor:
        """Draw one warp of a clip of ``num_frames`` frames.

        Args:
            num_frames (int): Number of frames T, >= 1.

        Returns:
            Tensor: Shape ``(T,)``, long, non-decreasing frame indices (on the CPU).
        """
        if isinstance(num_frames, bool) or not isinstance(num_frames, int) or num_frames < 1:
            raise ValueError(f'TemporalWarp: num_frames must be a positive int, got {num_frames!r}')
        gen = self.generator
        choice = torch.multinomial(torch.tensor(self.probs), 1, generator=gen).item()
        keys_wanted = KEY_FRAME_CHOICES[choice]
        if keys_wanted == 0:
            return torch.arange(num_frames)
        k = min(keys_wanted, num_frames)
        keys = torch.randperm(num_frames, generator=gen)[:k].sort().values.tolist()
        indices = torch.empty(num_frames, dtype=torch.long)
        indices[: keys[0]] = keys[0]
        indices[keys[-1] :] = keys[-1]
        for a, b in zip(keys[:-1], keys[1:], strict=True):
            split = int(torch.randint(a + 1, b + 1, (1,), generator=gen))
            indices[a:split] = a
            indices[split : b + 1] = b
        return indices

    @staticmethod
    def gather_frames(imgs: Tensor, indices: Tensor) -> Tensor:
        """Gather frames along T: ``out[b, :, t] = imgs[b, :, indices[b, t]]``.

        Args:
            imgs (Tensor): Clips, shape ``(B, C, T, H, W)``.
            indices (Tensor): Long, shape ``(B, T')``, values in ``[0, T)``.

        Returns:
            Tensor: A new tensor of shape ``(B, C, T', H, W)``.
        """
        b, c, _, h, w = imgs.shape
        index = indices.to(imgs.device).view(b, 1, -1, 1, 1).expand(b, c, -1, h, w)
        return torch.gather(imgs, 2, index)

    def forward(self, imgs: Tensor) -> Tensor:
        """Warp a batch of clips; the indices used are kept in :attr:`last_indices`.

        Args:
            imgs (Tensor): ``(B, C, T, H, W)`` or ``(B, V, C, T, H, W)`` (V views per sample).

        Returns:
            Tensor: The warped clips, same shape, a new tensor (the input is not modified).
        """
        if imgs.dim() not in (5, 6):
            raise ValueError(
                f'TemporalWarp expects (B, C, T, H, W) or (B, V, C, T, H, W), got '
                f'{tuple(imgs.shape)}'
            )
        lead = imgs.shape[:-4]
        flat = imgs.reshape(-1, *imgs.shape[-4:])
        clips, frames = flat.shape[0], flat.shape[2]
        if self.per_sample:
            indices = torch.stack([self.sample_indices(frames) for _ in range(clips)])
        else:
            indices = self.sample_indices(frames).expand(clips, frames)
        out = self.gather_frames(flat, indices).reshape(imgs.shape)
        self.last_indices = indices.reshape(*lead, frames).clone()
        return out
