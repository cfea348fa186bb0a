"""cIoU and AUC of sound source localisation maps (the LVS / FNAC protocol)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.evaluator import BaseMetric

from avssl.registry import METRICS

#: Success-curve thresholds of the LVS protocol: 0, 0.05, ..., 1.
AUC_THRESHOLDS: np.ndarray = np.round(np.arange(21) * 0.05, 10)


def upsample_map(heat: torch.Tensor | np.ndarray, size: Sequence[int], mode: str = 'bilinear'):
    """Resize a map ``(h, w)`` to ``size`` = ``(H, W)``.

    Args:
        heat (Tensor | np.ndarray): ``(h, w)``.
        size (Sequence[int]): ``(H, W)``.
        mode (str): ``'bilinear'`` or ``'bicubic'`` (``align_corners=False``).
            Defaults to ``'bilinear'``.

    Returns:
        np.ndarray: ``(H, W)`` float64.
    """
    t = torch.as_tensor(np.asarray(heat, dtype=np.float32))[None, None]
    out = F.interpolate(t, size=tuple(int(s) for s in size[:2]), mode=mode, align_corners=False)
    return out[0, 0].double().numpy()


def median_binarize(heat: np.ndarray) -> np.ndarray:
    """Predicted mask: the pixels at or above the map's median (LVS / FNAC).

    The threshold is the element at index ``H * W // 2`` of the ascending sorted map (the
    upper median), as the FNAC evaluation code takes it, so at least half of the pixels are
    predicted (more with ties).

    Args:
        heat (np.ndarray): ``(H, W)``.

    Returns:
        np.ndarray: ``(H, W)`` bool.
    """
    flat = np.sort(heat, axis=None)
    return heat >= flat[flat.size // 2]


def box_mask(boxes: np.ndarray, height: int, width: int) -> np.ndarray:
    """Union of boxes as a pixel mask; pixel ``(y, x)`` is inside when its centre is.

    For integer boxes with exclusive ``x2`` / ``y2`` this is exactly columns ``x1 .. x2 - 1``
    and rows ``y1 .. y2 - 1``; scaled (fractional) boxes round consistently.

    Args:
        boxes (np.ndarray): ``(K, 4)`` ``[x1, y1, x2, y2]`` (or one ``(4,)`` box).
        height (int): Mask height.
        width (int): Mask width.

    Returns:
        np.ndarray: ``(height, width)`` bool.
    """
    mask = np.zeros((height, width), dtype=bool)
    ys = np.arange(height) + 0.5
    xs = np.arange(width) + 0.5
    for x1, y1, x2, y2 in np.asarray(boxes, dtype=np.float64).reshape(-1, 4):
        rows = (ys >= y1) & (ys < y2)
        cols = (xs >= x1) & (xs < x2)
        mask |= rows[:, None] & cols[None, :]
    return mask


def ciou(pred: np.ndarray, gt: np.ndarray) -> float:
    """LVS's consensus IoU: ``|P and G| / (|G| + |P minus G|)``.

    Args:
        pred (np.ndarray): Predicted mask ``(H, W)`` (bool or 0/1).
        gt (np.ndarray): Ground-truth mask ``(H, W)`` (bool or 0/1).

    Returns:
        float: In ``[0, 1]``; 0 when both masks are empty.
    """
    pred = np.asarray(pred, dtype=bool)
    gt = np.asarray(gt, dtype=bool)
    if pred.shape != gt.shape:
        raise ValueError(f'mask shapes differ: {pred.shape} vs {gt.shape}')
    denom = gt.sum() + (pred & ~gt).sum()
    return float((pred & gt).sum() / denom) if denom > 0 else 0.0


def success_rates(cious: Sequence[float], thresholds: np.ndarray = AUC_THRESHOLDS) -> np.ndarray:
    """Share of clips with cIoU >= each threshold.

    Args:
        cious (Sequence[float]): Per-clip cIoU.
        thresholds (np.ndarray): Thresholds. Defaults to :data:`AUC_THRESHOLDS`.

    Returns:
        np.ndarray: One rate per threshold.
    """
    values = np.asarray(cious, dtype=np.float64)
    return np.array([(values >= t).mean() for t in thresholds])


def success_auc(cious: Sequence[float], thresholds: np.ndarray = AUC_THRESHOLDS) -> float:
    """Area under the success curve by the trapezoid rule (``sklearn.metrics.auc``, which the
    LVS / EZ-VSL / FNAC evaluation code calls).

    Args:
        cious (Sequence[float]): Per-clip cIoU.
        thresholds (np.ndarray): Increasing thresholds from 0 to 1. Defaults to
            :data:`AUC_THRESHOLDS`.

    Returns:
        float: In ``[0, 1]``.
    """
    rates = success_rates(cious, thresholds)
    return float(np.sum((rates[1:] + rates[:-1]) / 2 * np.diff(thresholds)))


def clip_ciou(
    heat: torch.Tensor | np.ndarray,
    boxes: np.ndarray,
    img_shape: Sequence[int],
    upsample_mode: str = 'bilinear',
) -> float:
    """cIoU of one clip: upsample the map to the frame, binarise at its median, compare.

    Args:
        heat (Tensor | np.ndarray): Map ``(h, w)``.
        boxes (np.ndarray): Ground-truth boxes ``(K, 4)`` in frame pixels.
        img_shape (Sequence[int]): Frame ``(H, W)``.
        upsample_mode (str): See :func:`upsample_map`. Defaults to ``'bilinear'``.

    Returns:
        float: The clip's cIoU.
    """
    height, width = (int(s) for s in img_shape[:2])
    pred = median_binarize(upsample_map(heat, (height, width), upsample_mode))
    return ciou(pred, box_mask(boxes, height, width))


@METRICS.register_module()
class LocalizationMetric(BaseMetric):
    """Sound source localisation: ``cIoU@0.5``, ``AUC`` and ``mean_cIoU``.

    Per clip (one frame, the centre frame in the FNAC configs) the model's ``pred_map``
    ``(h, w)`` is upsampled to the frame (``img_shape``), binarised at its median and compared
    with the union of the ground-truth boxes ``gt_bboxes`` (from ``LoadSoundingBox``) by LVS's
    cIoU ``|P and G| / (|G| + |P minus G|)``. Reported, as fractions in ``[0, 1]``:

    - ``cIoU@0.5``: share of clips with cIoU >= ``ciou_threshold`` (the papers' "cIoU");
    - ``AUC``: trapezoid area under the success curve over thresholds 0, 0.05, ..., 1;
    - ``mean_cIoU``: mean cIoU.

    Args:
        upsample_mode (str): ``'bilinear'`` (default) or ``'bicubic'`` (FNAC's code).
        ciou_threshold (float): Threshold of the headline number. Defaults to 0.5.
        collect_device (str): ``'cpu'`` or ``'gpu'``. Defaults to ``'cpu'``.
        prefix (str | None): Metric name prefix. Defaults to None.
    """

    def __init__(
        self,
        upsample_mode: str = 'bilinear',
        ciou_threshold: float = 0.5,
        collect_device: str = 'cpu',
        prefix: str | None = None,
    ) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if upsample_mode not in ('bilinear', 'bicubic'):
            raise ValueError(f'upsample_mode must be bilinear or bicubic, got {upsample_mode!r}')
        self.upsample_mode = upsample_mode
        self.ciou_threshold = ciou_threshold

    def process(self, data_batch: Any, data_samples: Sequence[dict]) -> None:
        """Compute and store each clip's cIoU."""
        for sample in data_samples:
            missing = [k for k in ('pred_map', 'gt_bboxes', 'img_shape') if k not in sample]
            if missing:
                raise KeyError(
                    f'LocalizationMetric needs {missing} in the data sample of '
                    f'{sample.get("filename", "<unknown file>")} (the model sets pred_map, '
                    'LoadSoundingBox gt_bboxes, the pipeline img_shape)'
                )
            heat = sample['pred_map']
            if isinstance(heat, torch.Tensor):
                heat = heat.detach().cpu().float().numpy()
            value = clip_ciou(
                heat, np.asarray(sample['gt_bboxes']), sample['img_shape'], self.upsample_mode
            )
            self.results.append({'ciou': value})

    def compute_metrics(self, results: list) -> dict[str, float]:
        """``cIoU@0.5``, ``AUC`` and ``mean_cIoU`` over all clips."""
        values = np.array([r['ciou'] for r in results], dtype=np.float64)
        if values.size == 0:
            raise ValueError('LocalizationMetric got no clip')
        return {
            f'cIoU@{self.ciou_threshold:g}': float((values >= self.ciou_threshold).mean()),
            'AUC': success_auc(values),
            'mean_cIoU': float(values.mean()),
        }
