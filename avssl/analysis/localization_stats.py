"""Per-clip diagnostics of a sound source localization map beyond cIoU.

The cIoU metric binarises the map at its median, so it mixes two questions: does the map point
at the sounding object, and does its upper half cover the object's box. These statistics keep
them apart (docs/results.md uses them to explain the SynthAV localizer's scores).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from avssl.evaluation.metrics.localization_metric import (
    box_mask,
    ciou,
    median_binarize,
    upsample_map,
)


@dataclass(frozen=True)
class ClipLocalizationStats:
    """Diagnostics of one clip's map against its ground-truth box mask.

    Attributes:
        pointing (bool): The map's maximum (first one, row-major) lies inside the box.
        ciou (float): The metric's cIoU (median-binarised map).
        mass_in_box (float): Share of the min-subtracted map's mass inside the box.
        box_area (float): Share of the frame the box covers.
    """

    pointing: bool
    ciou: float
    mass_in_box: float
    box_area: float


def clip_localization_stats(
    heat: torch.Tensor | np.ndarray,
    boxes: np.ndarray,
    img_shape: Sequence[int],
    upsample_mode: str = 'bilinear',
) -> ClipLocalizationStats:
    """Compute :class:`ClipLocalizationStats` for one map, upsampled to the frame as the metric.

    Args:
        heat (Tensor | np.ndarray): Map ``(h, w)``.
        boxes (np.ndarray): Ground-truth boxes ``(K, 4)`` ``[x1, y1, x2, y2]`` in frame pixels.
        img_shape (Sequence[int]): Frame ``(H, W)``.
        upsample_mode (str): ``'bilinear'`` or ``'bicubic'``. Defaults to ``'bilinear'``.

    Returns:
        ClipLocalizationStats: The clip's statistics.

    Raises:
        ValueError: If the boxes cover no pixel of the frame.
    """
    height, width = (int(s) for s in img_shape[:2])
    gt = box_mask(np.asarray(boxes, dtype=np.float64), height, width)
    if not gt.any():
        raise ValueError(f'the boxes {np.asarray(boxes).tolist()} cover no pixel of the frame')
    up = upsample_map(heat, (height, width), upsample_mode)
    y, x = np.unravel_index(int(np.argmax(up)), up.shape)
    shifted = up - up.min()
    total = float(shifted.sum())
    # a flat map spreads its mass evenly: its share inside the box is the box's area
    mass = float((shifted * gt).sum() / total) if total > 0 else float(gt.mean())
    return ClipLocalizationStats(
        pointing=bool(gt[y, x]),
        ciou=ciou(median_binarize(up), gt),
        mass_in_box=mass,
        box_area=float(gt.mean()),
    )


def summarize_localization_stats(stats: Sequence[ClipLocalizationStats]) -> dict[str, float]:
    """Means over clips, plus the metric's ``cIoU@0.5`` share.

    Args:
        stats (Sequence[ClipLocalizationStats]): One entry per clip.

    Returns:
        dict[str, float]: ``clips``, ``pointing``, ``cIoU@0.5``, ``mean_cIoU``,
        ``mass_in_box`` and ``box_area``.

    Raises:
        ValueError: If ``stats`` is empty.
    """
    if not stats:
        raise ValueError('no clips to summarise')
    cious = np.array([s.ciou for s in stats])
    return {
        'clips': float(len(stats)),
        'pointing': float(np.mean([s.pointing for s in stats])),
        'cIoU@0.5': float(np.mean(cious >= 0.5)),
        'mean_cIoU': float(cious.mean()),
        'mass_in_box': float(np.mean([s.mass_in_box for s in stats])),
        'box_area': float(np.mean([s.box_area for s in stats])),
    }
