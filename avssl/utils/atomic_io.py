"""Write files atomically through mmengine's local file backend.

mmengine 0.10.7 writes checkpoints (and every other file saved through ``mmengine.fileio``) by
opening the target and writing into it, so a run killed during a save leaves a truncated
``.pth`` that the next ``--resume`` fails on. After :func:`patch_local_backend_atomic_writes`,
``LocalBackend.put`` and ``put_text`` write a temporary file in the same folder, flush it to
disk and move it over the target with ``os.replace``: readers see the old file or the new one,
never a part.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from mmengine.fileio.backends.local_backend import LocalBackend


def atomic_write_bytes(data: bytes, path: str | Path) -> None:
    """Write ``data`` to ``path`` atomically (temporary file + fsync + ``os.replace``).

    Args:
        data (bytes): Content.
        path (str | Path): Target file; its folder is created if missing.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f'.{target.name}.', suffix='.tmp', dir=target.parent)
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _put(self: LocalBackend, obj: bytes, filepath: str | Path) -> None:
    atomic_write_bytes(obj, filepath)


def _put_text(self: LocalBackend, obj: str, filepath: str | Path, encoding: str = 'utf-8') -> None:
    atomic_write_bytes(obj.encode(encoding), filepath)


def patch_local_backend_atomic_writes() -> None:
    """Make ``LocalBackend.put`` / ``put_text`` atomic (idempotent)."""
    LocalBackend.put = _put  # type: ignore[method-assign]
    LocalBackend.put_text = _put_text  # type: ignore[method-assign]
