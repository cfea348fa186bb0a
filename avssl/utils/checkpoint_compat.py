"""Load mmengine checkpoints under torch >= 2.6, whose ``torch.load`` is ``weights_only``.

mmengine 0.10.7 calls ``torch.load`` without ``weights_only``; torch >= 2.6 then refuses the
non-tensor objects an mmengine checkpoint holds (the message hub's ``HistoryBuffer`` and the
numpy arrays and scalars inside it), so ``--resume``, ``load_from`` and ``tools/test.py CKPT``
fail. Instead of loading with ``weights_only=False`` (which runs arbitrary pickled code), the
few classes those checkpoints contain are added to torch's allow-list. Anything else still
fails, with torch's message naming the global.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from mmengine.logging import HistoryBuffer


def _numpy_globals() -> list[Callable | type]:
    """numpy objects that pickled arrays and scalars reference (numpy 1.x and 2.x names)."""
    try:
        from numpy._core import multiarray  # numpy >= 2
    except ImportError:  # pragma: no cover - numpy 1.x
        from numpy.core import multiarray  # type: ignore[no-redef]
    objs: list[Callable | type] = [multiarray._reconstruct, multiarray.scalar, np.ndarray, np.dtype]
    for name in (
        'Float64DType',
        'Float32DType',
        'Float16DType',
        'Int64DType',
        'Int32DType',
        'UInt8DType',
        'UInt32DType',
        'BoolDType',
    ):
        dtype_cls = getattr(getattr(np, 'dtypes', None), name, None)
        if dtype_cls is not None:
            objs.append(dtype_cls)
    return objs


#: Everything an mmengine/avssl checkpoint may reference besides tensors and builtin containers.
#: ``getattr`` is how numpy >= 2 pickles its ``numpy._core`` module path for old readers.
CHECKPOINT_SAFE_GLOBALS: list[Callable | type] = [HistoryBuffer, getattr, *_numpy_globals()]

_registered = False


def register_checkpoint_safe_globals() -> None:
    """Add :data:`CHECKPOINT_SAFE_GLOBALS` to torch's ``weights_only`` allow-list (idempotent)."""
    global _registered
    if _registered:
        return
    add = getattr(torch.serialization, 'add_safe_globals', None)
    if add is not None:  # torch < 2.4 has no allow-list and loads everything anyway
        add(CHECKPOINT_SAFE_GLOBALS)
    _registered = True
