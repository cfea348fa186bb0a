"""Gaussian smoothing of localisation maps over the feature grid."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def gaussian_kernel1d(sigma: float, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """Normalised 1-D Gaussian of standard deviation ``sigma``, radius ``ceil(2 * sigma)``.

    Args:
        sigma (float): Standard deviation in grid cells (> 0).
        dtype (torch.dtype): Defaults to float32.

    Returns:
        Tensor: ``(2 * radius + 1,)``, sums to 1.
    """
    if not sigma > 0:
        raise ValueError(f'sigma must be > 0, got {sigma}')
    radius = max(1, math.ceil(2.0 * sigma))
    xs = torch.arange(-radius, radius + 1, dtype=dtype)
    kernel = torch.exp(-(xs**2) / (2.0 * sigma * sigma))
    return kernel / kernel.sum()


def smooth_maps(maps: torch.Tensor, sigma: float) -> torch.Tensor:
    """Blur maps ``(..., h, w)`` with a separable Gaussian (normalised convolution).

    Outside the grid counts as missing, not as zero: the blurred map is divided by the blurred
    all-ones grid, so a constant map stays constant and border cells are not pulled down.
    ``sigma <= 0`` returns ``maps`` unchanged. Differentiable.

    Args:
        maps (Tensor): ``(..., h, w)``.
        sigma (float): Standard deviation in grid cells.

    Returns:
        Tensor: Same shape as ``maps``.
    """
    if sigma <= 0:
        return maps
    if maps.dim() < 2:
        raise ValueError(f'expected maps (..., h, w), got {tuple(maps.shape)}')
    kernel = gaussian_kernel1d(sigma, maps.dtype).to(maps.device)
    radius = kernel.numel() // 2
    h, w = maps.shape[-2:]
    flat = maps.reshape(-1, 1, h, w)
    ones = torch.ones(1, 1, h, w, dtype=maps.dtype, device=maps.device)

    def blur(x: torch.Tensor) -> torch.Tensor:
        x = F.conv2d(x, kernel.view(1, 1, 1, -1), padding=(0, radius))
        return F.conv2d(x, kernel.view(1, 1, -1, 1), padding=(radius, 0))

    return (blur(flat) / blur(ones)).reshape(maps.shape)
