"""A cosine classifier whose class weights can be imprinted from labeled clips."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from mmaction.models.heads.base import BaseHead
from torch import Tensor, nn

from avssl.registry import MODELS


@MODELS.register_module()
class CosineHead(BaseHead):
    """``logits_c = scale * cos(x, w_c)``: a classifier that can start as the nearest class mean.

    Each class has a weight vector ``w_c``; the logit of a feature ``x`` is ``scale`` times
    the cosine of the two. Imprinting (Qi et al., "Low-shot learning with imprinted weights",
    CVPR 2018) sets ``w_c`` to the mean of the L2-normalised features of the labeled clips of
    class ``c`` (:meth:`imprint`), so that before any step the head's argmax is the nearest
    class mean (cosine) of those clips; training then moves the weights by gradient as any
    linear head's. :class:`~avssl.engine.hooks.PrototypeImprintHook` imprints the head of a
    fresh run from the labeled split. The scale is fixed (not learned), so the logits stay in
    ``[-scale, scale]``.

    Args:
        num_classes (int): Number of classes.
        in_channels (int): Width of the features.
        scale (float): Factor on the cosines (the softmax temperature's inverse). Defaults
            to 10.
        init_std (float): Std of the normal initialisation of the weights (before any
            imprinting). Defaults to 0.02.
        **kwargs (Any): mmaction2 ``BaseHead`` arguments (``loss_cls``, ``average_clips``,
            ``topk``, ...).

    Raises:
        ValueError: If ``scale`` <= 0.
    """

    def __init__(
        self,
        num_classes: int,
        in_channels: int,
        scale: float = 10.0,
        init_std: float = 0.02,
        **kwargs: Any,
    ) -> None:
        super().__init__(num_classes, in_channels, **kwargs)
        if not float(scale) > 0:
            raise ValueError(f'CosineHead: scale must be > 0, got {scale}')
        self.scale = float(scale)
        self.init_std = float(init_std)
        self.weight = nn.Parameter(torch.empty(num_classes, in_channels))
        self.init_weights()

    def init_weights(self) -> None:
        """Normal weights (std ``init_std``), as mmaction2's heads initialise theirs."""
        nn.init.normal_(self.weight, std=self.init_std)

    def forward(self, x: Tensor, **kwargs: Any) -> Tensor:
        """Logits ``(N, num_classes)`` of features ``(N, in_channels)``."""
        if x.dim() != 2 or x.shape[-1] != self.in_channels:
            raise ValueError(
                f'CosineHead expects features (N, {self.in_channels}), got {tuple(x.shape)}'
            )
        return self.scale * F.normalize(x, dim=-1) @ F.normalize(self.weight, dim=-1).t()

    @staticmethod
    def class_means(features: Tensor, labels: Tensor, num_classes: int) -> tuple[Tensor, Tensor]:
        """Sums of the L2-normalised ``features`` per class ``(C, D)`` and counts ``(C,)``.

        Sums rather than means, so that shards of a labeled set (one per process) can be
        added before dividing.
        """
        if features.dim() != 2 or labels.shape != features.shape[:1]:
            raise ValueError(
                f'class_means: features (N, D) and labels (N,), got {tuple(features.shape)} '
                f'and {tuple(labels.shape)}'
            )
        if labels.numel() and (labels.min() < 0 or labels.max() >= num_classes):
            raise ValueError(f'class_means: labels must lie in [0, {num_classes}), got {labels}')
        unit = F.normalize(features.float(), dim=-1)
        sums = unit.new_zeros(num_classes, unit.shape[-1]).index_add_(0, labels.long(), unit)
        counts = torch.bincount(labels.long(), minlength=num_classes).to(unit)
        return sums, counts

    @torch.no_grad()
    def imprint(self, sums: Tensor, counts: Tensor) -> None:
        """Set each class's weight to the normalised mean of its labeled features.

        Args:
            sums (Tensor): ``(C, D)`` sums of L2-normalised features per class
                (:meth:`class_means`).
            counts (Tensor): ``(C,)`` labeled clips per class.

        Raises:
            ValueError: On the wrong shapes, or if a class has no labeled clip (its weight
                would be undefined); the message lists those classes.
        """
        if sums.shape != self.weight.shape or counts.shape != (self.num_classes,):
            raise ValueError(
                f'CosineHead.imprint: sums {tuple(sums.shape)} and counts '
                f'{tuple(counts.shape)} for weights {tuple(self.weight.shape)}'
            )
        empty = torch.nonzero(counts <= 0).flatten().tolist()
        if empty:
            raise ValueError(
                f'CosineHead.imprint: classes {empty} have no labeled clip, so their weights '
                'cannot be imprinted'
            )
        means = sums.float() / counts.float()[:, None]
        self.weight.copy_(F.normalize(means, dim=-1).to(self.weight))
