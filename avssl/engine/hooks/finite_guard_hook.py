"""Stop training at the first NaN or infinite loss term; never save non-finite weights."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import torch
from mmengine.dist import all_reduce
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner
from torch import nn

from avssl.registry import HOOKS
from avssl.utils.finite_check import (
    NonFiniteError,
    all_finite,
    is_loss_term,
    non_finite_loss_terms,
    non_finite_tensors,
)

#: Examples of offending tensors quoted in an error.
MAX_NAMED = 5


def _unwrap(model: nn.Module) -> nn.Module:
    return model.module if is_model_wrapper(model) else model


@HOOKS.register_module()
class FiniteGuardHook(Hook):
    """Stop on a NaN or infinite loss before the optimizer uses it; refuse to save NaN weights.

    At ``before_train`` the model's ``parse_losses`` (which both mmengine's ``train_step`` and
    its DDP wrapper call between the forward pass and ``optim_wrapper.update_params``) is
    wrapped so that after summing the named losses every loss term (``loss_sup``,
    ``loss_unlabeled``, ``loss_mix``, ``loss_contrast``, ..., see
    :func:`~avssl.utils.finite_check.is_loss_term`) is checked. A NaN or infinite term raises
    :class:`~avssl.utils.finite_check.NonFiniteError` naming the iteration (1-based, as in
    ``iter_<k>.pth``) and the terms, before the backward pass: the weights, the teacher and
    the optimizer state stay as they were after the previous iteration and no checkpoint of
    the failing iteration is written. Under DDP the ranks agree on the verdict (one small
    all-reduce per iteration), so all of them stop instead of waiting for the failed one.

    ``before_save_checkpoint`` is the second line: a loss can be finite while an overflowing
    gradient makes the weights NaN. A checkpoint whose ``state_dict`` or optimizer state
    holds NaN (or an infinite parameter; buffers may hold +-inf, e.g. attention masks) is
    not written, and the error names the tensors; the earlier checkpoints stay the latest.

    ``tools/train.py`` adds this hook to every config that does not list it.
    """

    priority = 'VERY_HIGH'

    def before_train(self, runner: Runner) -> None:
        """Wrap the model's ``parse_losses`` with the loss check (once)."""
        model = _unwrap(runner.model)
        original: Callable = model.parse_losses
        if getattr(original, 'finite_guarded', False):
            return

        def parse_losses(losses: dict[str, torch.Tensor]) -> tuple[torch.Tensor, dict]:
            loss, log_vars = original(losses)
            self.check_losses(runner, log_vars)
            return loss, log_vars

        parse_losses.finite_guarded = True  # type: ignore[attr-defined]
        model.parse_losses = parse_losses

    def after_train(self, runner: Runner) -> None:
        """Give the model its own ``parse_losses`` back."""
        model = _unwrap(runner.model)
        if getattr(model.__dict__.get('parse_losses'), 'finite_guarded', False):
            del model.__dict__['parse_losses']

    def check_losses(self, runner: Runner, log_vars: Mapping[str, Any]) -> None:
        """Raise :class:`NonFiniteError` if a loss term of this iteration (on any rank) is not
        finite.

        Args:
            runner (Runner): The runner (for the iteration number).
            log_vars (Mapping[str, Any]): The named loss terms and diagnostics.
        """
        terms = [v for k, v in log_vars.items() if is_loss_term(k) and torch.is_tensor(v)]
        if not terms:
            return
        failed = torch.tensor(float(not all_finite(terms)), device=terms[0].device)
        all_reduce(failed, op='max')  # no-op without a process group
        if not failed.item():
            return
        bad = non_finite_loss_terms(log_vars)
        where = ', '.join(f'{name} = {value}' for name, value in bad) or 'on another rank'
        others = ', '.join(
            f'{k} = {float(v):.4g}'
            for k, v in log_vars.items()
            if is_loss_term(k) and k not in dict(bad)
        )
        raise NonFiniteError(
            f'non-finite loss at iteration {runner.iter + 1}: {where}'
            + (f' (finite: {others})' if others else '')
            + '. Training stopped before the optimizer step: no weight was changed and no '
            'checkpoint of this iteration was written. Continue from the last checkpoint with '
            'tools/train.py --resume (e.g. with a lower learning rate), or check the data.'
        )

    def before_save_checkpoint(self, runner: Runner, checkpoint: dict) -> None:
        """Refuse to write a checkpoint whose weights or optimizer state are not finite."""
        model = _unwrap(runner.model)
        buffers = frozenset(name for name, _ in model.named_buffers())
        bad = non_finite_tensors(checkpoint.get('state_dict', {}), allow_inf=buffers)
        bad += non_finite_tensors(checkpoint.get('optimizer', {}), prefix='optimizer')
        if not bad:
            return
        step = checkpoint.get('meta', {}).get('iter', runner.iter)
        named = ', '.join(bad[:MAX_NAMED]) + (', ...' if len(bad) > MAX_NAMED else '')
        raise NonFiniteError(
            f'refused to save the checkpoint of iteration {step}: {len(bad)} tensor(s) hold '
            f'NaN or infinite values ({named}). Nothing was written; the earlier checkpoints '
            'are unchanged.'
        )
