"""WorkDirLock: one live holder per work dir; a killed holder's stale file blocks nothing."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO

from avssl.utils.work_dir_lock import LOCK_NAME, WorkDirInUseError, WorkDirLock

#: Takes the lock, forks a child that lives on (like a data-loader worker), prints its pid.
HOLDER = """
import os, sys, time
from avssl.utils.work_dir_lock import WorkDirLock
lock = WorkDirLock(sys.argv[1]).acquire()
child = os.fork()
if child == 0:
    time.sleep(600)
    os._exit(0)
print(child, flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_lock_is_exclusive_across_processes_and_dies_with_its_holder(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, '-c', HOLDER, str(tmp_path)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        child = int(holder.stdout.readline())
        with pytest.raises(WorkDirInUseError) as info:
            WorkDirLock(tmp_path).acquire()
        assert f'work dir {tmp_path} is in use by a running training' in str(info.value)
        assert f'pid host started = {holder.pid} ' in str(info.value)

        os.kill(holder.pid, signal.SIGKILL)  # kill -9 of the main process only
        holder.wait(timeout=60)
        assert _alive(child), 'the forked child should outlive its parent here'
        assert (tmp_path / LOCK_NAME).read_text().startswith(f'{holder.pid} ')  # stale file
        with WorkDirLock(tmp_path) as lock:  # neither the stale file nor the child blocks it
            assert lock.held
            assert (tmp_path / LOCK_NAME).read_text().startswith(f'{os.getpid()} ')
        assert not lock.held
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(holder.pid, signal.SIGKILL)  # the child too
        holder.wait(timeout=60)
