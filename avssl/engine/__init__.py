"""Training-engine pieces: hooks and model wrappers."""

from .hooks import RandomStateHook
from .model_wrappers import AnyDeviceDistributedDataParallel

__all__ = ['AnyDeviceDistributedDataParallel', 'RandomStateHook']
