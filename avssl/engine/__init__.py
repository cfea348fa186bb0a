"""Training-engine pieces: hooks and model wrappers."""

from .hooks import EMATeacherHook, RandomStateHook, ThresholdHook
from .model_wrappers import AnyDeviceDistributedDataParallel

__all__ = [
    'AnyDeviceDistributedDataParallel',
    'EMATeacherHook',
    'RandomStateHook',
    'ThresholdHook',
]
