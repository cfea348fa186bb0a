"""Shape coverage masks: every shape is inscribed in its square box."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

#: Sub-pixel samples per pixel side used for antialiasing.
SUPERSAMPLE = 4


def _unit_grid(side: int, supersample: int) -> tuple[np.ndarray, np.ndarray]:
    # Sub-pixel sample centres mapped to [-1, 1], shape (side * ss, side * ss).
    n = side * supersample
    c = (np.arange(n, dtype=np.float64) + 0.5) / n * 2.0 - 1.0
    return np.meshgrid(c, c, indexing='xy')


def _inside(shape: str, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    r = np.hypot(x, y)
    if shape == 'circle':
        return r <= 1.0
    if shape == 'square':
        return np.maximum(np.abs(x), np.abs(y)) <= 0.92
    if shape == 'triangle':  # apex up, base at the bottom edge
        return (y <= 1.0) & (np.abs(x) <= (y + 1.0) / 2.0)
    if shape == 'diamond':
        return np.abs(x) + np.abs(y) <= 1.0
    if shape == 'cross':
        return (np.minimum(np.abs(x), np.abs(y)) <= 0.3) & (np.maximum(np.abs(x), np.abs(y)) <= 1)
    if shape == 'ring':
        return (r <= 1.0) & (r >= 0.55)
    if shape == 'star':
        theta = np.arctan2(x, -y)
        return r <= 0.6 + 0.4 * np.cos(5.0 * theta)
    if shape == 'hexagon':
        ax, ay = np.abs(x), np.abs(y)
        return np.maximum(ax, ax * 0.5 + ay * np.sqrt(3.0) / 2.0) <= 1.0
    raise ValueError(f'unknown shape {shape!r}')


@lru_cache(maxsize=256)
def shape_alpha(shape: str, side: int) -> np.ndarray:
    """Antialiased coverage of a shape inscribed in a ``side`` x ``side`` box.

    Args:
        shape (str): One of :data:`~.classes.SHAPES`.
        side (int): Box side in pixels.

    Returns:
        np.ndarray: Coverage in [0, 1], shape ``(side, side)`` float32 (read-only, cached).
    """
    x, y = _unit_grid(side, SUPERSAMPLE)
    inside = _inside(shape, x, y).astype(np.float32)
    alpha = inside.reshape(side, SUPERSAMPLE, side, SUPERSAMPLE).mean(axis=(1, 3))
    alpha.setflags(write=False)
    return alpha


@lru_cache(maxsize=256)
def shape_mask(shape: str, side: int) -> np.ndarray:
    """Pixels that belong to a shape (coverage at least one half).

    Args:
        shape (str): One of :data:`~.classes.SHAPES`.
        side (int): Box side in pixels.

    Returns:
        np.ndarray: Mask, shape ``(side, side)`` bool (read-only, cached).
    """
    mask = shape_alpha(shape, side) >= 0.5
    mask.setflags(write=False)
    return mask
