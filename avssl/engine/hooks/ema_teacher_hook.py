"""Keep the teacher an exponential moving average of the student."""

from __future__ import annotations

import torch
import torch.nn as nn
from mmengine.hooks import Hook
from mmengine.runner import Runner

from avssl.registry import HOOKS


@torch.no_grad()
def ema_update(teacher: nn.Module, student: nn.Module, decay: float) -> None:
    """``teacher = decay * teacher + (1 - decay) * student`` for every floating parameter.

    Floating buffers are averaged the same way; other buffers (counters) are copied. This is
    mmengine's ``ExponentialMovingAverage`` update with ``momentum = 1 - decay``.

    Args:
        teacher (nn.Module): Updated in place.
        student (nn.Module): Same architecture.
        decay (float): Weight of the old teacher, in [0, 1].
    """
    t_params = dict(teacher.named_parameters())
    for name, s_param in student.named_parameters():
        t_params[name].lerp_(s_param.detach(), 1.0 - decay)
    t_buffers = dict(teacher.named_buffers())
    for name, s_buf in student.named_buffers():
        if s_buf.dtype.is_floating_point:
            t_buffers[name].lerp_(s_buf, 1.0 - decay)
        else:
            t_buffers[name].copy_(s_buf)


@torch.no_grad()
def copy_weights(teacher: nn.Module, student: nn.Module) -> None:
    """Make ``teacher`` an exact copy of ``student`` (parameters and buffers)."""
    teacher.load_state_dict(student.state_dict())


@HOOKS.register_module()
class EMATeacherHook(Hook):
    """Update ``model.teacher`` as an EMA of ``model.student`` after every optimizer step.

    At iteration 0 (a fresh run, not a resumed one) the teacher is set to an exact copy of the
    student. After each training iteration in which the optimizer stepped, the teacher moves
    towards the student with ``decay`` (0.99: mmengine's ``momentum`` 0.01). With gradient
    accumulation (``accumulative_counts`` > 1) that is once per optimizer step; SVFormer's code
    updates after every micro-batch instead, which ``per_micro_step=True`` reproduces. The
    teacher is part of the model's state dict, so checkpoints save and restore it.

    Args:
        decay (float): EMA decay per update. Defaults to 0.99.
        per_micro_step (bool): Update after every iteration even when the optimizer did not
            step (SVFormer's behaviour). Defaults to False.
    """

    priority = 'ABOVE_NORMAL'  # before CheckpointHook saves the iteration's state

    def __init__(self, decay: float = 0.99, per_micro_step: bool = False) -> None:
        if not 0.0 <= decay <= 1.0:
            raise ValueError(f'decay must be in [0, 1], got {decay}')
        self.decay = decay
        self.per_micro_step = per_micro_step

    @staticmethod
    def _model(runner: Runner) -> nn.Module:
        model = runner.model
        model = getattr(model, 'module', model)
        for name in ('teacher', 'student'):
            if not hasattr(model, name):
                raise AttributeError(
                    f'EMATeacherHook needs a model with `teacher` and `student`, '
                    f'{type(model).__name__} has no `{name}`'
                )
        return model

    def before_train(self, runner: Runner) -> None:
        """Copy the student into the teacher at the start of a fresh run."""
        if runner.iter == 0:
            model = self._model(runner)
            copy_weights(model.teacher, model.student)

    def after_train_iter(
        self,
        runner: Runner,
        batch_idx: int,
        data_batch: dict | tuple | list | None = None,
        outputs: dict | None = None,
    ) -> None:
        """EMA update when the optimizer stepped (or every iteration if ``per_micro_step``)."""
        if self.per_micro_step or runner.optim_wrapper.should_update():
            model = self._model(runner)
            ema_update(model.teacher, model.student, self.decay)
