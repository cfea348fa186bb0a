"""A constant confidence threshold (SVFormer "Fix")."""

from __future__ import annotations

import torch
from torch import Tensor

from avssl.registry import MODELS

from .base_threshold import BaseThreshold


@MODELS.register_module()
class FixedThreshold(BaseThreshold):
    """Keep a pseudo-label when the teacher's confidence reaches ``tau``.

    ``mask_i = [max_c probs_ic >= tau]``. There is no state: :meth:`update` only checks its
    arguments, and the threshold needs no :meth:`setup`.

    Args:
        num_classes (int | None): Number of classes ``C``; the model fills it in from its head.
            Defaults to None (then required at first use).
        tau (float): Confidence threshold in ``[0, 1]``. Defaults to 0.3 (the paper's).
    """

    learns = False

    def __init__(self, num_classes: int | None = None, tau: float = 0.3) -> None:
        super().__init__(num_classes=num_classes, tau=tau)

    def mask(self, probs: Tensor, indices: Tensor | None = None) -> Tensor:
        """See :meth:`BaseThreshold.mask`."""
        self._check_batch(probs, indices)
        return (probs.detach().float().amax(dim=1) >= self.tau).to(probs.dtype)

    def class_thresholds(self) -> Tensor:
        """See :meth:`BaseThreshold.class_thresholds`: ``tau`` for every class."""
        return torch.full((self._require_num_classes(),), float(self.tau))

    def _update(self, probs: Tensor, indices: Tensor | None) -> None:
        """Nothing to learn."""
