"""Draw a heat map (e.g. an audio source localisation map) over a frame, in numpy."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
import torch.nn.functional as F


def normalize_map(heat: np.ndarray) -> np.ndarray:
    """Min-max normalise a map to ``[0, 1]`` (all zeros for a constant map).

    Args:
        heat (np.ndarray): Any shape.

    Returns:
        np.ndarray: Same shape, float64.
    """
    heat = np.asarray(heat, dtype=np.float64)
    span = heat.max() - heat.min()
    return (heat - heat.min()) / span if span > 0 else np.zeros_like(heat)


def jet_colormap(values: np.ndarray) -> np.ndarray:
    """Colours of the "jet" map (blue - cyan - yellow - red) for values in ``[0, 1]``.

    Args:
        values (np.ndarray): Any shape; clipped to ``[0, 1]``.

    Returns:
        np.ndarray: ``values.shape + (3,)`` uint8 RGB.
    """
    v = np.clip(np.asarray(values, dtype=np.float64), 0.0, 1.0)[..., None]
    centres = np.array([0.75, 0.5, 0.25])  # where red, green and blue peak
    rgb = np.clip(1.5 - np.abs(4.0 * (v - centres)), 0.0, 1.0)
    return np.round(rgb * 255.0).astype(np.uint8)


def overlay_heatmap(frame: np.ndarray, heat: np.ndarray, alpha: float = 0.5) -> np.ndarray:
    """Blend a heat map, upsampled to the frame (bilinear) and min-max normalised, over it.

    Args:
        frame (np.ndarray): ``(H, W, 3)`` uint8 RGB.
        heat (np.ndarray): ``(h, w)`` map of any resolution.
        alpha (float): Weight of the heat colours. Defaults to 0.5.

    Returns:
        np.ndarray: ``(H, W, 3)`` uint8 RGB.

    Raises:
        ValueError: If ``frame`` is not ``(H, W, 3)`` or ``heat`` not 2-D.
    """
    if frame.ndim != 3 or frame.shape[-1] != 3:
        raise ValueError(f'frame must be (H, W, 3), got {frame.shape}')
    if np.ndim(heat) != 2:
        raise ValueError(f'heat must be (h, w), got {np.shape(heat)}')
    height, width = frame.shape[:2]
    t = torch.as_tensor(np.asarray(heat, dtype=np.float32))[None, None]
    up = F.interpolate(t, size=(height, width), mode='bilinear', align_corners=False)[0, 0]
    colours = jet_colormap(normalize_map(up.numpy())).astype(np.float64)
    blended = (1.0 - alpha) * frame.astype(np.float64) + alpha * colours
    return np.clip(np.round(blended), 0, 255).astype(np.uint8)


def tile_images(images: Sequence[np.ndarray], cols: int = 4, pad: int = 2) -> np.ndarray:
    """Arrange equally sized images in a grid, row by row, on a white background.

    Args:
        images (Sequence[np.ndarray]): ``(H, W, 3)`` uint8 images, all the same size.
        cols (int): Images per row. Defaults to 4.
        pad (int): Pixels between images and around the grid. Defaults to 2.

    Returns:
        np.ndarray: The grid, uint8 RGB.

    Raises:
        ValueError: If there is no image or the sizes differ.
    """
    if not images:
        raise ValueError('no image to tile')
    height, width = images[0].shape[:2]
    if any(im.shape[:2] != (height, width) for im in images):
        raise ValueError(f'images differ in size: {sorted({im.shape[:2] for im in images})}')
    cols = max(1, min(cols, len(images)))
    rows = -(-len(images) // cols)
    grid = np.full(
        (rows * (height + pad) + pad, cols * (width + pad) + pad, 3), 255, dtype=np.uint8
    )
    for i, image in enumerate(images):
        r, c = divmod(i, cols)
        y, x = pad + r * (height + pad), pad + c * (width + pad)
        grid[y : y + height, x : x + width] = image
    return grid
