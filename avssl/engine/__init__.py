"""Training-engine pieces: hooks, loops and model wrappers."""

from .hooks import EMATeacherHook, RandomStateHook, ThresholdHook
from .loops import IndexSkipIterBasedTrainLoop, SkipFirstSampler
from .model_wrappers import AnyDeviceDistributedDataParallel

__all__ = [
    'AnyDeviceDistributedDataParallel',
    'EMATeacherHook',
    'IndexSkipIterBasedTrainLoop',
    'RandomStateHook',
    'SkipFirstSampler',
    'ThresholdHook',
]
