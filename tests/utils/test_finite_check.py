"""Finding NaN / inf loss terms and checkpoint tensors."""

from __future__ import annotations

import math

import torch

from avssl.utils.finite_check import all_finite, non_finite_loss_terms, non_finite_tensors


def test_loss_terms_named_diagnostics_ignored() -> None:
    log_vars = {
        'loss': torch.tensor(math.nan),
        'loss_sup': torch.tensor(1.0),
        'loss_mix': torch.tensor(math.nan),
        'loss_contrast': torch.tensor(-math.inf),
        'pass_rate': torch.tensor(math.nan),  # a diagnostic, not optimised
    }
    bad = non_finite_loss_terms(log_vars)
    assert [name for name, _ in bad] == ['loss_mix', 'loss_contrast']
    assert math.isnan(bad[0][1]) and bad[1][1] == -math.inf


def test_overflowing_total_is_named_when_no_term_is_bad() -> None:
    log_vars = {'loss': torch.tensor(math.inf), 'loss_a': torch.tensor(3e38)}
    assert non_finite_loss_terms(log_vars) == [('loss', math.inf)]
    assert non_finite_loss_terms({'loss': torch.tensor(2.0), 'loss_a': 2.0}) == []


def test_all_finite() -> None:
    assert all_finite([torch.ones(3), torch.tensor(2.0)])
    assert not all_finite([torch.ones(3), torch.tensor([1.0, math.nan])])
    assert all_finite([])


def test_non_finite_tensors_walks_nested_state() -> None:
    tree = {
        'state_dict': {
            'a': torch.ones(2),
            'b': torch.tensor([0.0, math.nan]),
            'i': torch.ones(2).long(),
        },
        'optimizer': {'state': {0: {'exp_avg': torch.tensor([math.inf])}}, 'lr': math.nan},
        'mask': torch.tensor([-math.inf, 0.0]),
    }
    assert non_finite_tensors(tree) == ['state_dict.b', 'optimizer.state.0.exp_avg', 'mask']
    # +-inf may be allowed (buffers), NaN never.
    assert non_finite_tensors(tree, allow_inf={'mask', 'state_dict.b'}) == [
        'state_dict.b',
        'optimizer.state.0.exp_avg',
    ]
