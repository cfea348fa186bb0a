"""DistributionAlignment: hand-computed alignment and EMA, state, errors, the recognizer path."""

from __future__ import annotations

import pytest
import torch
from test_av_semi_recognizer import _batch, _model

from avssl.models.pseudo_labels import DistributionAlignment
from avssl.registry import MODELS


def test_align_and_update_equal_hand_values() -> None:
    module = DistributionAlignment(num_classes=3, momentum=0.5)
    assert torch.allclose(module.model_marginal, torch.full((3,), 1 / 3))
    probs = torch.tensor([[0.6, 0.3, 0.1], [0.8, 0.1, 0.1]])
    # the batch mean is [0.7, 0.2, 0.1]; m = 0.5 * 1/3 + 0.5 * mean
    aligned = module(probs)
    m = torch.tensor([0.5 / 3 + 0.35, 0.5 / 3 + 0.1, 0.5 / 3 + 0.05])
    assert torch.allclose(module.model_marginal, m)
    # q = probs * (1/3) / m, renormalised (the constant 1/3 cancels)
    q = probs / m
    assert torch.allclose(aligned, q / q.sum(dim=1, keepdim=True))
    assert torch.allclose(aligned.sum(dim=1), torch.ones(2))
    # the class the teacher over-predicts loses mass, the others gain
    assert (aligned[:, 0] < probs[:, 0]).all() and (aligned[:, 2] > probs[:, 2]).all()


def test_uniform_teacher_state_is_the_identity_and_align_changes_no_state() -> None:
    module = DistributionAlignment(num_classes=4, momentum=0.9)
    probs = torch.softmax(torch.randn(5, 4), dim=1)
    assert torch.allclose(module.align(probs), probs, atol=1e-6)  # m = p at the start
    before = module.model_marginal.clone()
    module(probs, update=False)
    assert torch.equal(module.model_marginal, before)


def test_target_marginal_is_normalised_and_pulls_towards_it() -> None:
    module = DistributionAlignment(num_classes=2, momentum=0.0, target=[3.0, 1.0])
    assert torch.allclose(module.target, torch.tensor([0.75, 0.25]))
    # momentum 0: m is the batch mean [0.5, 0.5]; q ~ probs * [0.75, 0.25] / 0.5
    aligned = module(torch.tensor([[0.5, 0.5], [0.5, 0.5]]))
    assert torch.allclose(aligned, torch.tensor([[0.75, 0.25], [0.75, 0.25]]))


def test_empty_batch_leaves_the_state_and_bad_input_names_the_problem() -> None:
    module = DistributionAlignment(num_classes=3, momentum=0.5)
    module.update(torch.empty(0, 3))
    assert torch.allclose(module.model_marginal, torch.full((3,), 1 / 3))
    with pytest.raises(ValueError, match=r'shape \(B, 3\)'):
        module(torch.ones(2, 4) / 4)
    with pytest.raises(ValueError, match='momentum'):
        DistributionAlignment(num_classes=3, momentum=1.0)
    with pytest.raises(ValueError, match='target has 2 values but num_classes is 3'):
        DistributionAlignment(num_classes=3, target=[1, 1])
    with pytest.raises(ValueError, match='positive'):
        DistributionAlignment(num_classes=2, target=[1, 0])
    with pytest.raises(RuntimeError, match='num_classes is None'):
        DistributionAlignment()(torch.ones(1, 2) / 2)


def test_state_dict_round_trip_restores_the_running_marginal() -> None:
    trained = DistributionAlignment(num_classes=3, momentum=0.5)
    trained(torch.tensor([[0.9, 0.05, 0.05]]))
    fresh = DistributionAlignment()  # built without num_classes: takes the saved size
    fresh.load_state_dict(trained.state_dict())
    assert fresh.num_classes == 3
    assert torch.equal(fresh.model_marginal, trained.model_marginal)
    probs = torch.tensor([[0.2, 0.5, 0.3]])
    assert torch.equal(fresh.align(probs), trained.align(probs))


def test_the_recognizer_aligns_pseudo_labels_and_logs_the_raw_accuracy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # both clips' true class is 1 (_batch); the teacher leans to class 0 for both
    logits = torch.log(torch.tensor([[0.45, 0.40, 0.15], [0.50, 0.35, 0.15]]))
    model = _model(
        mix_cfg=None,
        temporal_warp_cfg=None,
        threshold_cfg=dict(type='FixedThreshold', tau=0.0),
        dist_align_cfg=dict(type='DistributionAlignment', momentum=0.5),
    )
    assert model.dist_align.num_classes == 3  # filled in from the head
    monkeypatch.setattr(model.teacher, 'forward', lambda inputs, mode='tensor': logits)
    out = model(*_batch(n_lab=1), mode='loss')
    # m = 0.5 / 3 + 0.5 * batch mean [0.475, 0.375, 0.15]; the first clip's aligned argmax is
    # its true class 1, the second stays at 0
    probs = logits.exp()
    q = probs / (0.5 / 3 + 0.5 * probs.mean(dim=0))
    q = q / q.sum(dim=1, keepdim=True)
    assert q.argmax(dim=1).tolist() == [1, 0]
    assert out['pseudo_acc'].item() == 0.5 and out['pseudo_acc_raw'].item() == 0.0
    assert out['teacher_conf'].item() == pytest.approx(q.max(dim=1).values.mean().item())
    assert torch.allclose(model.threshold_batch[0], q)  # what the threshold module learns from
    assert 'dist_align.model_marginal' in model.state_dict()


def test_without_alignment_the_recognizer_logs_no_raw_accuracy() -> None:
    model = _model()
    model.train()
    out = model(*_batch(), mode='loss')
    assert model.dist_align is None and 'pseudo_acc_raw' not in out
    assert not any(k.startswith('dist_align') for k in model.state_dict())


def test_registered_and_swappable_by_config() -> None:
    module = MODELS.build(dict(type='DistributionAlignment', num_classes=5, momentum=0.99))
    assert isinstance(module, DistributionAlignment) and module.momentum == 0.99
