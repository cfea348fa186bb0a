"""Hooks."""

from .checkpoint_fit_hook import CheckpointFitHook
from .ema_teacher_hook import EMATeacherHook
from .finite_guard_hook import FiniteGuardHook
from .prototype_imprint_hook import PrototypeImprintHook
from .random_state_hook import RandomStateHook
from .threshold_hook import ThresholdHook

__all__ = [
    'CheckpointFitHook',
    'EMATeacherHook',
    'FiniteGuardHook',
    'PrototypeImprintHook',
    'RandomStateHook',
    'ThresholdHook',
]
