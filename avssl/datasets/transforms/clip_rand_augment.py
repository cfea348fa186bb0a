"""RandAugment on a whole clip: one draw of operations and magnitudes for all its frames."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torchvision.transforms import InterpolationMode, RandAugment

from avssl.registry import TRANSFORMS

from .base import AVTransform


@TRANSFORMS.register_module()
class ClipRandAugment(AVTransform):
    """Apply torchvision's RandAugment to the frames of ``results[key]``, the same ops on each.

    The strong-view colour and geometry augmentation of FixMatch-style learners (SVFormer's
    paper names it; its released code trains without it, as the default configs here do). A
    clip is augmented as one: the ``num_ops`` operations and their signs are drawn once and
    applied to every frame, so the motion between frames is kept. Draws come from torch's
    global generator, which mmengine seeds per data-loading worker. ``num_ops=0`` returns the
    frames unchanged and draws nothing.

    Place it after the spatial crop and before ``FormatShape`` (frames are ``(H, W, 3)``
    uint8 arrays there).

    Required Keys:
        - ``key`` (default ``imgs``): a list (or array) of ``(H, W, 3)`` uint8 frames
    Modified Keys:
        - ``key``

    Args:
        num_ops (int): Operations applied in sequence. Defaults to 2 (RandAugment's N).
        magnitude (int): Magnitude of every operation, in ``[0, num_magnitude_bins)``.
            Defaults to 9 (RandAugment's M).
        num_magnitude_bins (int): Number of magnitude steps. Defaults to 31.
        key (str): Frames to augment. Defaults to ``'imgs'``.
    """

    def __init__(
        self,
        num_ops: int = 2,
        magnitude: int = 9,
        num_magnitude_bins: int = 31,
        key: str = 'imgs',
    ) -> None:
        if num_ops < 0:
            raise ValueError(f'ClipRandAugment: num_ops must be >= 0, got {num_ops}')
        if not 0 <= magnitude < num_magnitude_bins:
            raise ValueError(
                f'ClipRandAugment: magnitude must be in [0, {num_magnitude_bins}), got {magnitude}'
            )
        self.num_ops = num_ops
        self.magnitude = magnitude
        self.num_magnitude_bins = num_magnitude_bins
        self.key = key
        self._op = RandAugment(
            num_ops=num_ops,
            magnitude=magnitude,
            num_magnitude_bins=num_magnitude_bins,
            interpolation=InterpolationMode.NEAREST,
        )

    def transform(self, results: dict[str, Any]) -> dict[str, Any]:
        """Augment ``results[self.key]``; a list stays a list of ``(H, W, 3)`` arrays."""
        self.require(results, self.key)
        frames = results[self.key]
        as_list = isinstance(frames, list)
        clip = np.stack(frames) if as_list else np.asarray(frames)
        if clip.dtype != np.uint8 or clip.ndim != 4 or clip.shape[-1] != 3:
            raise ValueError(
                f'ClipRandAugment needs uint8 (H, W, 3) frames in results[{self.key!r}], got '
                f'dtype {clip.dtype} and shape {clip.shape}; file: '
                f'{results.get("filename", "<unknown>")}'
            )
        if self.num_ops == 0:
            return results
        # (T, H, W, 3) -> (T, 3, H, W): torchvision treats the leading dim as a batch and
        # applies each drawn operation to all of it.
        tensor = torch.from_numpy(np.ascontiguousarray(clip)).permute(0, 3, 1, 2)
        out = self._op(tensor).permute(0, 2, 3, 1).contiguous().numpy()
        results[self.key] = list(out) if as_list else out
        return results

    def __repr__(self) -> str:
        return (
            f'{self.__class__.__name__}(num_ops={self.num_ops}, magnitude={self.magnitude}, '
            f'num_magnitude_bins={self.num_magnitude_bins}, key={self.key!r})'
        )
