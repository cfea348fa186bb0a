"""A DDP wrapper that works on CPU (gloo) as well as on GPUs."""

from __future__ import annotations

from typing import Any

import torch.nn as nn
from mmengine.model import MMDistributedDataParallel

from avssl.registry import MODEL_WRAPPERS


@MODEL_WRAPPERS.register_module()
class AnyDeviceDistributedDataParallel(MMDistributedDataParallel):
    """``MMDistributedDataParallel`` that drops ``device_ids`` when the module is on the CPU.

    mmengine's Runner always passes ``device_ids=[LOCAL_RANK]``; torch's DDP rejects
    ``device_ids`` for CPU modules. On GPUs this class behaves exactly like its parent.
    The Runner looks wrappers up in mmengine's root registry, which finds only its direct
    children's classes, so configs give the import path (``Registry.get`` falls back to
    importing it): ``type='avssl.engine.AnyDeviceDistributedDataParallel'``.

    Args:
        module (nn.Module): The model to wrap.
        **kwargs: Forwarded to :class:`MMDistributedDataParallel`.
    """

    def __init__(self, module: nn.Module, **kwargs: Any) -> None:
        first = next(module.parameters(), None)
        if first is None or first.device.type == 'cpu':
            kwargs.pop('device_ids', None)
            kwargs.pop('output_device', None)
        super().__init__(module=module, **kwargs)
