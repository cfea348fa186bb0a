"""Checkpoint writes through mmengine's local backend are atomic; a full disk is named."""

from __future__ import annotations

import errno
import io
import os
import re
from pathlib import Path

import pytest
import torch
from helpers import toy_runner
from mmengine.runner.checkpoint import save_checkpoint

from avssl.utils import atomic_io  # (importing avssl applies the patch)
from avssl.utils.atomic_io import DiskFullError


def test_save_checkpoint_writes_complete_file(tmp_path: Path) -> None:
    path = tmp_path / 'sub' / 'iter_1.pth'
    save_checkpoint({'w': torch.arange(5)}, str(path))
    assert torch.equal(torch.load(path, weights_only=True)['w'], torch.arange(5))
    assert [p.name for p in path.parent.iterdir()] == ['iter_1.pth']  # no temporary left


def test_interrupted_save_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / 'latest.pth'
    save_checkpoint({'w': torch.zeros(3)}, str(path))
    before = path.read_bytes()

    def crash(src: str, dst: str) -> None:
        raise KeyboardInterrupt('killed during save')

    monkeypatch.setattr(os, 'replace', crash)
    with pytest.raises(KeyboardInterrupt):
        save_checkpoint({'w': torch.ones(1000)}, str(path))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ['latest.pth']


class _FullDisk:
    """A binary file whose ``write`` stores half the data, then fails with ENOSPC."""

    def __init__(self, file: io.BufferedWriter) -> None:
        self._file = file

    def write(self, data: bytes) -> int:
        self._file.write(data[: len(data) // 2])
        self._file.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> object:
        return getattr(self._file, name)

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()


def _fill_disk_for(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """From now on, writes of temporaries for the file ``name`` fail with ENOSPC."""
    real_fdopen = os.fdopen

    def fdopen(fd: int, *args: object, **kwargs: object) -> object:
        file = real_fdopen(fd, *args, **kwargs)
        target = os.readlink(f'/proc/self/fd/{fd}')
        return _FullDisk(file) if os.path.basename(target).startswith(f'.{name}.') else file

    monkeypatch.setattr(atomic_io.os, 'fdopen', fdopen)


def test_disk_full_names_the_file_and_keeps_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / 'latest.pth'
    save_checkpoint({'w': torch.zeros(3)}, str(path))
    before = path.read_bytes()
    _fill_disk_for(monkeypatch, 'latest.pth')
    with pytest.raises(DiskFullError) as info:
        save_checkpoint({'w': torch.ones(1000)}, str(path))
    assert info.value.errno == errno.ENOSPC
    assert f'disk full: no space left to write {path} (its previous content is intact' in str(
        info.value
    )
    assert isinstance(info.value.__cause__, OSError)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ['latest.pth']


def test_disk_full_on_the_second_checkpoint_of_a_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill_disk_for(monkeypatch, 'iter_2.pth')
    runner = toy_runner(tmp_path, max_iters=3)
    with pytest.raises(
        DiskFullError, match=re.escape(f'no space left to write {tmp_path}/iter_2.pth')
    ):
        runner.train()
    names = sorted(p.name for p in tmp_path.iterdir())
    # No temporary left, nothing of iteration 2 (besides, the run's log folder and config).
    assert [n for n in names if n.endswith('.pth') or n.startswith('.')] == ['iter_1.pth']
    assert (tmp_path / 'last_checkpoint').read_text().strip() == str(tmp_path / 'iter_1.pth')
    ckpt = torch.load(tmp_path / 'iter_1.pth', weights_only=True, map_location='cpu')
    assert ckpt['meta']['iter'] == 1
    for key, value in ckpt['state_dict'].items():
        assert value.shape == runner.model.state_dict()[key].shape, key


def test_other_os_errors_pass_through(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, 'denied')

    monkeypatch.setattr(atomic_io.tempfile, 'mkstemp', denied)
    with pytest.raises(PermissionError) as info:
        atomic_io.atomic_write_bytes(b'x', tmp_path / 'f')
    assert not isinstance(info.value, DiskFullError)


def test_written_files_get_the_mode_of_a_plain_open(tmp_path) -> None:
    import os
    import stat

    from avssl.utils.atomic_io import atomic_write_bytes

    old = os.umask(0o022)
    try:
        atomic_write_bytes(b'x', tmp_path / 'ckpt.pth')
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / 'ckpt.pth').stat().st_mode) == 0o644
