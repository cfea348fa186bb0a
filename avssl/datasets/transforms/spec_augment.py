"""SpecAugment: frequency and time masking of the log-mel features (the strong audio view)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
import torchaudio

from avssl.registry import TRANSFORMS

from .base import AVTransform


@TRANSFORMS.register_module()
class SpecAugment(AVTransform):
    """Mask random frequency bands and time spans of ``results[key]`` with torchaudio.

    Each view (clip) of the ``(V, 1, T, F)`` features gets its own masks. Masked values are
    set to ``mask_value`` (0 = the training mean after normalisation). Draws come from
    torch's global generator, which mmengine seeds per data-loading worker.

    Required Keys:
        - ``key`` (default ``audio``): float32 ``(V, 1, T, F)``
    Modified Keys:
        - ``key``

    Args:
        freq_mask_param (int): Largest width of a frequency mask, in mel bins. Defaults to 24
            (AST's 48 of 128 bins, halved for clips of 256 frames).
        time_mask_param (int): Largest width of a time mask, in frames. Defaults to 48.
        num_freq_masks (int): Frequency masks per view. Defaults to 1.
        num_time_masks (int): Time masks per view. Defaults to 1.
        mask_value (float): Value of masked cells. Defaults to 0.
        key (str): Features to mask. Defaults to ``'audio'``.
    """

    def __init__(
        self,
        freq_mask_param: int = 24,
        time_mask_param: int = 48,
        num_freq_masks: int = 1,
        num_time_masks: int = 1,
        mask_value: float = 0.0,
        key: str = 'audio',
    ) -> None:
        self.freq_mask = torchaudio.transforms.FrequencyMasking(freq_mask_param)
        self.time_mask = torchaudio.transforms.TimeMasking(time_mask_param)
        self.freq_mask_param = freq_mask_param
        self.time_mask_param = time_mask_param
        self.num_freq_masks = num_freq_masks
        self.num_time_masks = num_time_masks
        self.mask_value = mask_value
        self.key = key

    def transform(self, results: dict[str, Any]) -> dict[str, Any]:
        """Mask ``results[self.key]`` in place of the original."""
        self.require(results, self.key)
        feats = torch.from_numpy(np.ascontiguousarray(results[self.key]))
        # torchaudio masks (..., freq, time); ours are (..., time, freq).
        spec = feats.transpose(-1, -2).clone()
        views = []
        for view in spec:  # (1, F, T): independent masks per view
            for _ in range(self.num_freq_masks):
                view = self.freq_mask(view, self.mask_value)
            for _ in range(self.num_time_masks):
                view = self.time_mask(view, self.mask_value)
            views.append(view)
        results[self.key] = torch.stack(views).transpose(-1, -2).contiguous().numpy()
        return results

    def __repr__(self) -> str:
        return (
            f'{self.__class__.__name__}(freq_mask_param={self.freq_mask_param}, '
            f'time_mask_param={self.time_mask_param}, num_freq_masks={self.num_freq_masks}, '
            f'num_time_masks={self.num_time_masks})'
        )
