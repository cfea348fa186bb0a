"""EMATeacherHook: EMA maths, copy at iteration 0, once per optimizer step."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import torch
import torch.nn as nn

from avssl.engine.hooks import EMATeacherHook
from avssl.engine.hooks.ema_teacher_hook import ema_update


class _Pair(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.student = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
        self.teacher = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))


def _runner(model: nn.Module, iteration: int, steps: list[bool]) -> SimpleNamespace:
    wrapper = SimpleNamespace(should_update=lambda: steps.pop(0))
    return SimpleNamespace(model=model, iter=iteration, optim_wrapper=wrapper)


def test_ema_maths_against_hand_values() -> None:
    teacher, student = nn.Linear(1, 1, bias=False), nn.Linear(1, 1, bias=False)
    teacher.weight.data.fill_(1.0)
    student.weight.data.fill_(3.0)
    ema_update(teacher, student, decay=0.99)
    assert teacher.weight.item() == pytest.approx(0.99 * 1.0 + 0.01 * 3.0)  # 1.02
    ema_update(teacher, student, decay=0.99)
    assert teacher.weight.item() == pytest.approx(0.99 * 1.02 + 0.01 * 3.0)  # 1.0398


def test_copy_at_start_and_buffers() -> None:
    model = _Pair()
    model.student[1].num_batches_tracked.fill_(7)
    hook = EMATeacherHook()
    hook.before_train(_runner(model, 0, []))
    for (name, t), s in zip(
        model.teacher.state_dict().items(), model.student.state_dict().values(), strict=True
    ):
        assert torch.equal(t, s), name
    # A resumed run (iteration > 0) keeps the teacher from the checkpoint.
    model.teacher[0].weight.data.add_(1.0)
    before = model.teacher[0].weight.clone()
    hook.before_train(_runner(model, 5, []))
    assert torch.equal(model.teacher[0].weight, before)


def test_updates_once_per_optimizer_step_unless_faithful() -> None:
    model = _Pair()
    model.teacher.load_state_dict(model.student.state_dict())
    model.student[0].weight.data.add_(1.0)
    hook = EMATeacherHook(decay=0.5)
    steps = [False, True]  # accumulation: step on the second micro-batch only
    start = model.teacher[0].weight.clone()
    hook.after_train_iter(_runner(model, 1, steps), 0)
    assert torch.equal(model.teacher[0].weight, start)
    hook.after_train_iter(_runner(model, 2, steps), 1)
    torch.testing.assert_close(model.teacher[0].weight, start + 0.5)
    faithful = EMATeacherHook(decay=0.5, per_micro_step=True)
    faithful.after_train_iter(_runner(model, 3, [False]), 2)
    torch.testing.assert_close(model.teacher[0].weight, start + 0.75)


def test_wrapped_model_and_clear_errors() -> None:
    model = _Pair()
    wrapped = SimpleNamespace(module=model)
    EMATeacherHook().before_train(SimpleNamespace(model=wrapped, iter=0))
    with pytest.raises(AttributeError, match='has no `teacher`'):
        EMATeacherHook().before_train(SimpleNamespace(model=nn.Linear(1, 1), iter=0))
    with pytest.raises(ValueError, match='decay must be in'):
        EMATeacherHook(decay=1.5)
