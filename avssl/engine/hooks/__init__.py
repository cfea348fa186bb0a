"""Hooks."""

from .ema_teacher_hook import EMATeacherHook
from .random_state_hook import RandomStateHook
from .threshold_hook import ThresholdHook

__all__ = ['EMATeacherHook', 'RandomStateHook', 'ThresholdHook']
