"""Summaries of how a checkpoint's state dict differs from a model's."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from avssl.utils.state_dict_fit import (
    CheckpointMismatchError,
    check_checkpoint_fits,
    state_dict_mismatch,
)


def test_counts_are_complete_and_examples_few() -> None:
    expected = {f'a.{i}': torch.zeros(1) for i in range(8)} | {'w': torch.zeros(4, 2)}
    given = {f'b.{i}': torch.zeros(1) for i in range(3)} | {'w': torch.zeros(10, 2)}
    assert state_dict_mismatch(expected, given) == (
        '8 missing keys (a.0, a.1, a.2, a.3, a.4, ...); '
        '3 unexpected keys (b.0, b.1, b.2); '
        '1 shape mismatch (w: checkpoint 10x2 vs model 4x2)'
    )
    assert state_dict_mismatch(expected, dict(expected)) is None


def test_ignore_and_shape_keys() -> None:
    expected = {'head.w': torch.zeros(4), 'buf': torch.zeros(0), 'x': torch.zeros(1)}
    given = {'head.w': torch.zeros(10), 'buf': torch.zeros(20), 'x': torch.zeros(1)}
    assert state_dict_mismatch(expected, given, ignore=[r'head\.'], shape_keys={'x'}) is None
    assert 'head.w' in state_dict_mismatch(expected, given, shape_keys={'head.w'})


def test_check_strips_ddp_prefixes_and_skips_buffer_shapes() -> None:
    model = nn.BatchNorm1d(3)
    state = {f'module.{k}': v for k, v in model.state_dict().items()}
    state['module.running_mean'] = torch.zeros(7)  # buffers may be resized by their module
    check_checkpoint_fits(model, {'state_dict': state}, 'f.pth')
    state['module.weight'] = torch.zeros(7)
    with pytest.raises(CheckpointMismatchError, match=r'f\.pth does not fit BatchNorm1d: 1 shape'):
        check_checkpoint_fits(model, {'state_dict': state}, 'f.pth')
