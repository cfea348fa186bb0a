"""One training run per work dir: an exclusive lock that dies with the process holding it.

Two runs writing checkpoints, ``last_checkpoint`` and logs into one folder corrupt each other's
resume state. ``tools/train.py`` takes :class:`WorkDirLock` on ``<work_dir>/train.lock`` before
building the Runner; a second run on the same folder fails at start-up with
:class:`WorkDirInUseError`, naming the pid that holds it.

The lock is a POSIX record lock (``fcntl.lockf``): the kernel drops it when the holding process
ends in any way, ``kill -9`` included, so the file a killed run leaves behind does not block
``--resume``; and it is not inherited by ``fork``, so data-loader workers that outlive a killed
main process for a few seconds do not hold it either. A process must not open and close the
lock file elsewhere while holding it (closing any descriptor of the file releases POSIX locks).
"""

from __future__ import annotations

import errno
import fcntl
import os
import socket
import time
from pathlib import Path
from types import TracebackType

#: Name of the lock file inside the work dir.
LOCK_NAME = 'train.lock'


class WorkDirInUseError(RuntimeError):
    """Another live process holds the work dir's lock."""


class WorkDirLock:
    """Exclusive, non-blocking lock on a work dir, held until :meth:`release` or process exit.

    Args:
        work_dir (str | os.PathLike[str]): The folder; created if missing.
    """

    def __init__(self, work_dir: str | os.PathLike[str]) -> None:
        self.path = Path(work_dir) / LOCK_NAME
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._fd is not None

    def acquire(self) -> WorkDirLock:
        """Take the lock and write ``pid host start-time`` into the lock file.

        Returns:
            WorkDirLock: ``self``.

        Raises:
            WorkDirInUseError: If another process holds it; the message names the folder and
                what the holder wrote (its pid).
        """
        if self.held:
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            os.close(fd)
            if err.errno not in (errno.EACCES, errno.EAGAIN):
                raise
            holder = self.path.read_text(encoding='utf-8').strip() or 'unknown'
            raise WorkDirInUseError(
                f'work dir {self.path.parent} is in use by a running training (lock file '
                f'{self.path}: pid host started = {holder}). Wait for it to finish or stop it, '
                'or train into another --work-dir.'
            ) from None
        os.ftruncate(fd, 0)
        stamp = time.strftime('%Y-%m-%dT%H:%M:%S')
        os.write(fd, f'{os.getpid()} {socket.gethostname()} {stamp}\n'.encode())
        os.fsync(fd)
        self._fd = fd
        return self

    def release(self) -> None:
        """Drop the lock (the file stays; an unheld lock file means nothing)."""
        if self._fd is not None:
            fcntl.lockf(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> WorkDirLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
