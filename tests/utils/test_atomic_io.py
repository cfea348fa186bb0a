"""Checkpoint writes through mmengine's local backend are atomic."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch
from mmengine.runner.checkpoint import save_checkpoint

import avssl  # noqa: F401  (applies the patch)


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
