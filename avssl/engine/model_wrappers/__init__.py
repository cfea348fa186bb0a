"""Model wrappers."""

from .any_device_ddp import AnyDeviceDistributedDataParallel

__all__ = ['AnyDeviceDistributedDataParallel']
