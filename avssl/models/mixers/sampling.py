"""Gamma and Beta variates drawn only from a given ``torch.Generator``.

``torch.distributions`` and ``torch._standard_gamma`` take no generator, so their draws cannot be
replayed from a module's own state; :func:`sample_gamma` and :func:`sample_beta` can.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

#: Largest number of rejection rounds :func:`sample_gamma` runs before giving up. Each round
#: accepts a draw with probability > 0.95 (Marsaglia & Tsang), so this is never reached in
#: practice; it only turns a bug into an error instead of an endless loop.
MAX_GAMMA_ROUNDS = 1000


def sample_gamma(concentration: float, size: int, generator: torch.Generator) -> Tensor:
    """Draw Gamma(concentration, 1) variates from ``generator`` (Marsaglia & Tsang, 2000).

    For ``concentration >= 1``: with ``d = a - 1/3``, ``c = 1 / sqrt(9 d)``, draw ``x ~ N(0, 1)``
    and ``u ~ U(0, 1)``, set ``v = (1 + c x)^3`` and accept ``d v`` when ``v > 0`` and
    ``log u < x^2 / 2 + d - d v + d log v``; rejected entries are redrawn. For ``a < 1`` a
    Gamma(a + 1) variate is multiplied by ``u^(1 / a)``. Computed in float64.

    Args:
        concentration (float): Shape ``a > 0``.
        size (int): Number of variates.
        generator (torch.Generator): CPU generator all randomness comes from.

    Returns:
        Tensor: Shape ``(size,)``, float64, positive.

    Raises:
        ValueError: If ``concentration <= 0`` or ``size < 0``.
    """
    if not concentration > 0 or not math.isfinite(concentration):
        raise ValueError(f'Gamma concentration must be a positive number, got {concentration}')
    if size < 0:
        raise ValueError(f'size must be >= 0, got {size}')
    boost = concentration < 1
    a = concentration + 1.0 if boost else float(concentration)
    d = a - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    out = torch.empty(size, dtype=torch.float64)
    todo = torch.arange(size)
    for _ in range(MAX_GAMMA_ROUNDS):
        if todo.numel() == 0:
            break
        n = todo.numel()
        x = torch.randn(n, dtype=torch.float64, generator=generator)
        u = torch.rand(n, dtype=torch.float64, generator=generator)
        v = (1.0 + c * x) ** 3
        positive = v > 0
        log_v = torch.log(torch.where(positive, v, torch.ones_like(v)))
        accept = positive & (torch.log(u) < 0.5 * x * x + d - d * v + d * log_v)
        out[todo[accept]] = d * v[accept]
        todo = todo[~accept]
    else:
        if todo.numel():
            raise RuntimeError(f'Gamma({concentration}) sampling did not converge')
    if boost:
        u = torch.rand(size, dtype=torch.float64, generator=generator)
        out = out * u.pow(1.0 / concentration)
    return out


def sample_beta(alpha: float, beta: float, size: int, generator: torch.Generator) -> Tensor:
    """Draw Beta(alpha, beta) variates from ``generator`` as ``X / (X + Y)``.

    ``X ~ Gamma(alpha)`` and ``Y ~ Gamma(beta)`` come from :func:`sample_gamma`, so the draws
    are reproducible from the generator's state alone.

    Args:
        alpha (float): First shape parameter, > 0.
        beta (float): Second shape parameter, > 0.
        size (int): Number of variates.
        generator (torch.Generator): CPU generator all randomness comes from.

    Returns:
        Tensor: Shape ``(size,)``, float64, in ``[0, 1]``.
    """
    x = sample_gamma(alpha, size, generator)
    y = sample_gamma(beta, size, generator)
    return x / (x + y)
