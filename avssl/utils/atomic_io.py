"""Write files atomically through mmengine's local file backend.

mmengine 0.10.7 writes checkpoints (and every other file saved through ``mmengine.fileio``) by
opening the target and writing into it, so a run killed during a save leaves a truncated
``.pth`` that the next ``--resume`` fails on. After :func:`patch_local_backend_atomic_writes`,
``LocalBackend.put`` and ``put_text`` write a temporary file in the same folder, flush it to
disk and move it over the target with ``os.replace``: readers see the old file or the new one,
never a part. A write that fails because the disk (or the quota) is full raises
:class:`DiskFullError`, naming the file; the temporary is removed and the old file is kept.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from mmengine.fileio.backends.local_backend import LocalBackend

#: ``errno`` values that mean "no room left": a full file system, an exhausted quota.
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


class DiskFullError(OSError):
    """Writing a file failed for lack of space; the previous file at that path is unchanged."""


def atomic_write_bytes(data: bytes, path: str | Path) -> None:
    """Write ``data`` to ``path`` atomically (temporary file + fsync + ``os.replace``).

    Args:
        data (bytes): Content.
        path (str | Path): Target file; its folder is created if missing.

    Raises:
        DiskFullError: If the disk or quota is full (``ENOSPC`` / ``EDQUOT``); the message
            names ``path`` and says that its previous content, if any, is intact.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        _write_and_replace(data, target)
    except OSError as err:
        if err.errno not in DISK_FULL_ERRNOS:
            raise
        kept = 'its previous content is intact' if target.exists() else 'nothing was written'
        raise DiskFullError(
            err.errno,
            f'disk full: no space left to write {target} ({kept}, other files are untouched; '
            'free some space and retry: a training run continues with tools/train.py --resume)',
        ) from err


def _umask() -> int:
    """The process umask (read by setting it and putting it back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_and_replace(data: bytes, target: Path) -> None:
    """Write a temporary next to ``target``, fsync it, move it over ``target``; on any failure
    remove the temporary and re-raise."""
    fd, tmp = tempfile.mkstemp(prefix=f'.{target.name}.', suffix='.tmp', dir=target.parent)
    try:
        # mkstemp creates the file 0600; give it the mode a plain open() would (0666 - umask)
        os.fchmod(fd, 0o666 & ~_umask())
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
