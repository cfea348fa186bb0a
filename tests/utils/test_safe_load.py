"""Checkpoint loading never runs pickled code: mmengine's loaders, torch.hub downloads."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
import torch
from helpers import write_malicious_checkpoint
from mmengine.logging import HistoryBuffer
from mmengine.runner import checkpoint as mme_checkpoint

from avssl.utils import safe_load
from avssl.utils.safe_load import UnsafeCheckpointError, safe_torch_load


@pytest.fixture()
def evil(tmp_path: Path) -> tuple[Path, Path]:
    """A malicious ``.pth`` and the marker file its unpickling would create."""
    marker = tmp_path / 'pwned'
    return write_malicious_checkpoint(tmp_path / 'evil.pth', marker), marker


def test_the_crafted_file_does_run_code(evil: tuple[Path, Path]) -> None:
    # The control: an unsafe load of the file runs its payload, so the refusals below matter.
    path, marker = evil
    torch.load(path, weights_only=False)
    assert marker.exists()


def test_safe_torch_load_refuses_and_names_the_call(evil: tuple[Path, Path]) -> None:
    path, marker = evil
    with pytest.raises(UnsafeCheckpointError) as info:
        safe_torch_load(path)
    message = str(info.value)
    assert f'refused to load checkpoint {path}: unpickling it would call posix.system' in message
    assert 'nothing in it was run' in message
    assert isinstance(info.value, pickle.UnpicklingError)
    assert not marker.exists()


@pytest.mark.parametrize('url', [False, True], ids=['path', 'file-url'])
def test_mmengine_loaders_refuse_with_torch_default_off(
    evil: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: bool
) -> None:
    # With this variable torch.load(weights_only unset) -- mmengine's call -- unpickles anything.
    monkeypatch.setenv('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', '1')
    path, marker = evil
    with pytest.raises(UnsafeCheckpointError, match='posix.system'):
        if url:  # the HTTP(S) loader, fed through urllib's file:// handler
            safe_load.load_from_http(path.as_uri(), model_dir=str(tmp_path / 'hub'))
        else:
            mme_checkpoint._load_checkpoint(str(path), map_location='cpu')
    assert not marker.exists()
    assert (
        mme_checkpoint.CheckpointLoader._get_checkpoint_loader('x.pth') is safe_load.load_from_local
    )
    assert mme_checkpoint.CheckpointLoader._get_checkpoint_loader('https://x/y.pth') is (
        safe_load.load_from_http
    )


def test_a_real_checkpoint_still_loads(tmp_path: Path) -> None:
    buffer = HistoryBuffer()
    buffer.update(np.float64(1.5))
    path = tmp_path / 'ok.pth'
    torch.save({'state_dict': {'w': torch.arange(3)}, 'message_hub': {'loss': buffer}}, path)
    ckpt = mme_checkpoint._load_checkpoint(str(path), map_location='cpu')
    assert torch.equal(ckpt['state_dict']['w'], torch.arange(3))
    assert ckpt['message_hub']['loss'].current() == 1.5
