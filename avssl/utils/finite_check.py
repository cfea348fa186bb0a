"""Find NaN and infinite values among loss terms and checkpoint tensors."""

from __future__ import annotations

import math
from collections.abc import Container, Iterable, Mapping
from typing import Any

import torch


class NonFiniteError(FloatingPointError):
    """A loss term or a weight became NaN or infinite; training stopped before using it."""


def is_loss_term(name: str) -> bool:
    """Whether mmengine adds the logged value ``name`` to the optimised loss.

    ``BaseModel.parse_losses`` sums every value whose name contains ``'loss'`` (``loss_sup``,
    ``loss_unlabeled``, ``loss_mix``, ``loss_contrast``, the total ``loss``); the others
    (``pass_rate``, ``sup_top1``, ...) are diagnostics.
    """
    return 'loss' in name


def non_finite_loss_terms(log_vars: Mapping[str, Any]) -> list[tuple[str, float]]:
    """The loss terms that are NaN or infinite, with their values.

    Args:
        log_vars (Mapping[str, Any]): Named scalars (tensors or numbers), e.g. the second value
            ``parse_losses`` returns.

    Returns:
        list[tuple[str, float]]: ``(name, value)`` of each non-finite loss term, in order. The
        total ``loss`` is listed only when no single term is non-finite (an overflowing sum).
    """
    values = {name: float(value) for name, value in log_vars.items() if is_loss_term(name)}
    bad = [(name, value) for name, value in values.items() if not math.isfinite(value)]
    terms = [(name, value) for name, value in bad if name != 'loss']
    return terms or bad


def all_finite(values: Iterable[torch.Tensor]) -> bool:
    """Whether every element of every tensor is finite (one device sync for all of them)."""
    flat = [v.detach().reshape(-1).float() for v in values]
    return not flat or bool(torch.isfinite(torch.cat(flat)).all())


def non_finite_tensors(
    tree: Any, prefix: str = '', allow_inf: Container[str] = frozenset()
) -> list[str]:
    """Paths of the floating-point tensors in a nested dict / list that are not finite.

    Args:
        tree (Any): A tensor, or dicts and lists of them (e.g. a checkpoint's ``state_dict``
            or ``optimizer`` entry); other values are skipped.
        prefix (str): Path of ``tree`` itself. Defaults to ``''``.
        allow_inf (Container[str]): Paths whose tensors may hold +-inf (buffers such as
            attention masks); NaN is never allowed. Defaults to none.

    Returns:
        list[str]: Dotted paths of the tensors holding NaN (or +-inf where not allowed).
    """
    if isinstance(tree, torch.Tensor):
        if not tree.is_floating_point() and not tree.is_complex():
            return []
        if prefix in allow_inf:
            return [prefix] if bool(torch.isnan(tree).any()) else []
        return [] if bool(torch.isfinite(tree).all()) else [prefix]
    if isinstance(tree, Mapping):
        items: Iterable[tuple[Any, Any]] = tree.items()
    elif isinstance(tree, list | tuple):
        items = enumerate(tree)
    else:
        return []
    found: list[str] = []
    for key, value in items:
        found += non_finite_tensors(value, f'{prefix}.{key}' if prefix else str(key), allow_inf)
    return found
