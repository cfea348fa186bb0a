"""Mix arithmetic: what a recognizer does with a :class:`~avssl.models.mixers.MixOutput`.

* :func:`mix_tokens`: a clip's own patch tokens where the mask is True, its partner's elsewhere;
* :func:`mix_targets`: the mixed soft targets ``lam * y + (1 - lam) * y[partner]``;
* :func:`mix_weights`: the mixed per-clip loss weights.
"""

from __future__ import annotations

import torch
from torch import Tensor


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
