"""Training-engine pieces: hooks, loops and model wrappers."""

from .hooks import (
    CheckpointFitHook,
    EMATeacherHook,
    FiniteGuardHook,
    RandomStateHook,
    ThresholdHook,
)
from .loops import IndexSkipIterBasedTrainLoop, SkipFirstSampler
from .model_wrappers import AnyDeviceDistributedDataParallel

__all__ = [
    'AnyDeviceDistributedDataParallel',
    'CheckpointFitHook',
    'EMATeacherHook',
    'FiniteGuardHook',
    'IndexSkipIterBasedTrainLoop',
    'RandomStateHook',
    'SkipFirstSampler',
    'ThresholdHook',
]
