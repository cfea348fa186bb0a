"""CheckpointFitHook: the Runner refuses a checkpoint of another model instead of loading part."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from helpers import toy_runner

from avssl.engine.hooks import CheckpointFitHook
from avssl.utils.state_dict_fit import CheckpointMismatchError


def _save(path: Path, state: dict) -> str:
    torch.save({'state_dict': state, 'meta': {}}, path)
    return str(path)


def test_runner_refuses_a_checkpoint_of_another_model(tmp_path: Path) -> None:
    runner = toy_runner(tmp_path, custom_hooks=[CheckpointFitHook()])
    other = _save(tmp_path / 'other.pth', {'conv.weight': torch.ones(3, 3)})
    before = {k: v.clone() for k, v in runner.model.state_dict().items()}
    with pytest.raises(CheckpointMismatchError) as info:
        runner.load_checkpoint(other)
    assert str(info.value).startswith(
        f'checkpoint {other} does not fit Toy: 2 missing keys (fc.weight, fc.bias); '
        '1 unexpected key (conv.weight)'
    )
    for key, value in runner.model.state_dict().items():
        assert torch.equal(value, before[key]), key


def test_without_the_hook_mmengine_loads_nothing_silently(tmp_path: Path) -> None:
    # The control: mmengine's own non-strict load accepts the wrong file.
    runner = toy_runner(tmp_path)
    before = {k: v.clone() for k, v in runner.model.state_dict().items()}
    runner.load_checkpoint(_save(tmp_path / 'other.pth', {'conv.weight': torch.ones(3, 3)}))
    for key, value in runner.model.state_dict().items():  # "loaded", yet nothing changed
        assert torch.equal(value, before[key]), key


def test_fitting_and_ignored_keys_load(tmp_path: Path) -> None:
    runner = toy_runner(tmp_path, custom_hooks=[CheckpointFitHook(ignore_keys=[r'fc\.bias'])])
    state = {'fc.weight': torch.full((1, 2), 3.0), 'fc.bias': torch.zeros(5)}
    runner.load_checkpoint(_save(tmp_path / 'ok.pth', state))
    assert torch.equal(runner.model.fc.weight, state['fc.weight'])
