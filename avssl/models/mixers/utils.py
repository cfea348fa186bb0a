"""Helpers shared by the token mixers and the batch augmentations.

* :class:`ModuleGenerator`: a private, checkpointable ``torch.Generator`` for a module, seeded
  from an explicit seed or lazily from ``torch.initial_seed()``.
* :func:`sample_gamma` / :func:`sample_beta`: Gamma and Beta variates drawn only from a given
  generator (``torch.distributions`` and ``torch._standard_gamma`` take no generator, so their
  draws cannot be replayed from a module's own state).
* :func:`mix_tokens`, :func:`mix_targets`, :func:`mix_weights`: what a recognizer does with a
  :class:`~avssl.models.mixers.MixOutput`.
"""

from __future__ import annotations

import math
import zlib
from typing import Any

import torch
import torch.nn as nn
from torch import Tensor

#: Largest number of rejection rounds :func:`sample_gamma` runs before giving up. Each round
#: accepts a draw with probability > 0.95 (Marsaglia & Tsang), so this is never reached in
#: practice; it only turns a bug into an error instead of an endless loop.
MAX_GAMMA_ROUNDS = 1000


class ModuleGenerator:
    """A module's own CPU ``torch.Generator`` whose state can be saved and restored.

    With ``seed=None`` the generator is seeded at first use from ``torch.initial_seed()`` (the
    seed mmengine's runner sets) plus a salt derived from ``salt`` (the owning class name), so
    that two modules seeded this way do not draw the same stream. All draws happen on the CPU.

    Args:
        seed (int | None): Explicit seed, or None to seed lazily from ``torch.initial_seed()``.
        salt (str): Distinguishes the streams of lazily seeded modules. Defaults to ``''``.
    """

    def __init__(self, seed: int | None = None, salt: str = '') -> None:
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise TypeError(f'seed must be an int or None, got {seed!r}')
        self.seed = seed
        self.salt = salt
        self._generator: torch.Generator | None = None

    @property
    def initialised(self) -> bool:
        """bool: Whether the generator has been seeded (explicitly, lazily or from a state)."""
        return self._generator is not None

    def get(self) -> torch.Generator:
        """Return the generator, seeding it first if this is its first use.

        Returns:
            torch.Generator: The CPU generator to draw from.
        """
        if self._generator is None:
            if self.seed is not None:
                seed = self.seed
            else:
                seed = torch.initial_seed() + zlib.crc32(self.salt.encode())
            self._generator = torch.Generator(device='cpu')
            self._generator.manual_seed(seed % (2**63))
        return self._generator

    def state_dict(self) -> dict[str, Any]:
        """Return the generator's state for a checkpoint.

        Returns:
            dict[str, Any]: ``{'seed': int | None, 'rng_state': ByteTensor | None}``;
            ``rng_state`` is None while the generator has not been used (it will then seed
            lazily after a restore too).
        """
        state = self._generator.get_state() if self._generator is not None else None
        return {'seed': self.seed, 'rng_state': state}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore a state written by :meth:`state_dict`; the next draws repeat the saved ones.

        Args:
            state (dict[str, Any]): ``{'seed': ..., 'rng_state': ...}``.

        Raises:
            ValueError: If ``state`` lacks the ``rng_state`` key.
        """
        if not isinstance(state, dict) or 'rng_state' not in state:
            raise ValueError(
                f'expected a generator state {{"seed": ..., "rng_state": ...}}, got {state!r}'
            )
        self.seed = state.get('seed', self.seed)
        if state['rng_state'] is None:
            self._generator = None
            return
        self._generator = torch.Generator(device='cpu')
        self._generator.set_state(state['rng_state'].to(torch.uint8).cpu())


class SeededModule(nn.Module):
    """An ``nn.Module`` that draws from its own :class:`ModuleGenerator`, saved in its state.

    The generator state travels in the module's state dict (``get_extra_state`` /
    ``set_extra_state``), so a resumed run repeats the draws of an uninterrupted one. Mix
    modules and the temporal warp derive from it.

    Args:
        seed (int | None): Explicit seed, or None to seed lazily from ``torch.initial_seed()``
            salted with the class name.
    """

    def __init__(self, seed: int | None = None) -> None:
        super().__init__()
        self._rng = ModuleGenerator(seed, salt=type(self).__name__)

    @property
    def generator(self) -> torch.Generator:
        """torch.Generator: The module's CPU generator (seeded on first access)."""
        return self._rng.get()

    def get_extra_state(self) -> dict[str, Any]:
        """Return the generator state saved in the module's state dict.

        Returns:
            dict[str, Any]: ``{'seed': int | None, 'rng_state': ByteTensor | None}``.
        """
        return self._rng.state_dict()

    def set_extra_state(self, state: dict[str, Any]) -> None:
        """Restore the generator state from the module's state dict.

        Args:
            state (dict[str, Any]): What :meth:`get_extra_state` returned.
        """
        self._rng.load_state_dict(state)


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


def mix_tokens(tokens_a: Tensor, tokens_b: Tensor, mask: Tensor) -> Tensor:
    """Combine two clips' patch tokens: clip A's where ``mask`` is True, clip B's elsewhere.

    Equals SVFormer's ``tokens_a * mask + tokens_b * ~mask`` for finite tokens, without the
    multiplications.

    Args:
        tokens_a (Tensor): Tokens of clip A, shape ``(B, T, N, D)``.
        tokens_b (Tensor): Tokens of clip B (usually ``tokens_a[partner]``), ``(B, T, N, D)``.
        mask (Tensor): ``(B, T, N)`` bool, True = keep clip A's token.

    Returns:
        Tensor: Mixed tokens, shape ``(B, T, N, D)``.

    Raises:
        ValueError: If the shapes disagree or ``mask`` is not boolean.
    """
    if tokens_a.shape != tokens_b.shape or tokens_a.dim() != 4:
        raise ValueError(
            f'mix_tokens: tokens must both be (B, T, N, D), got {tuple(tokens_a.shape)} and '
            f'{tuple(tokens_b.shape)}'
        )
    if mask.dtype != torch.bool or tuple(mask.shape) != tuple(tokens_a.shape[:3]):
        raise ValueError(
            f'mix_tokens: mask must be a bool tensor of shape {tuple(tokens_a.shape[:3])}, '
            f'got {mask.dtype} {tuple(mask.shape)}'
        )
    return torch.where(mask.unsqueeze(-1), tokens_a, tokens_b)


def _check_pairing(name: str, batch: int, lam: Tensor, partner: Tensor) -> None:
    if lam.shape != (batch,) or partner.shape != (batch,):
        raise ValueError(
            f'{name}: lam and partner must have shape ({batch},), got {tuple(lam.shape)} and '
            f'{tuple(partner.shape)}'
        )


def mix_targets(y: Tensor, lam: Tensor, partner: Tensor) -> Tensor:
    """Mixed soft targets ``lam * y + (1 - lam) * y[partner]``.

    Args:
        y (Tensor): Per-clip targets (one-hot or probabilities), shape ``(B, C)``.
        lam (Tensor): Mixing weight of clip A, shape ``(B,)``.
        partner (Tensor): Index of clip B for each clip A, shape ``(B,)``, long.

    Returns:
        Tensor: Shape ``(B, C)``, in the dtype of ``y`` (float).
    """
    if y.dim() != 2:
        raise ValueError(f'mix_targets: y must be (B, C), got {tuple(y.shape)}')
    _check_pairing('mix_targets', y.shape[0], lam, partner)
    lam = lam.to(device=y.device, dtype=y.dtype).unsqueeze(1)
    return lam * y + (1.0 - lam) * y[partner.to(y.device)]


def mix_weights(passed: Tensor, lam: Tensor, partner: Tensor) -> Tensor:
    """Per-clip loss weights of mixed clips ``lam * passed + (1 - lam) * passed[partner]``.

    Args:
        passed (Tensor): Whether each clip's pseudo-label passed the threshold (or any per-clip
            weight), shape ``(B,)``, bool or float.
        lam (Tensor): Mixing weight of clip A, shape ``(B,)``.
        partner (Tensor): Index of clip B for each clip A, shape ``(B,)``, long.

    Returns:
        Tensor: Shape ``(B,)``, float (the dtype of ``lam`` when ``passed`` is not floating).
    """
    if passed.dim() != 1:
        raise ValueError(f'mix_weights: passed must be (B,), got {tuple(passed.shape)}')
    _check_pairing('mix_weights', passed.shape[0], lam, partner)
    dtype = passed.dtype if passed.is_floating_point() else lam.dtype
    if not dtype.is_floating_point:
        dtype = torch.get_default_dtype()
    passed = passed.to(dtype)
    lam = lam.to(device=passed.device, dtype=dtype)
    return lam * passed + (1.0 - lam) * passed[partner.to(passed.device)]
