"""Threshold modules: hand-computed thresholds, masks, state dicts, and rank agreement."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
import torch
import torch.distributed as torch_dist
import torch.multiprocessing as mp
from mmengine.runner.checkpoint import load_state_dict

from avssl.models.thresholds import (
    BaseThreshold,
    FixedThreshold,
    FlexMatchThreshold,
    FreeMatchThreshold,
    PercentileThreshold,
)
from avssl.registry import MODELS


def _t(rows: list[list[float]]) -> torch.Tensor:
    return torch.tensor(rows, dtype=torch.float32)


def _i(values: list[int]) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.long)


# ------------------------------------------------------------------------------------ building
@pytest.mark.parametrize(
    ('name', 'cls'),
    [
        ('FixedThreshold', FixedThreshold),
        ('FlexMatchThreshold', FlexMatchThreshold),
        ('FreeMatchThreshold', FreeMatchThreshold),
        ('PercentileThreshold', PercentileThreshold),
    ],
)
def test_type_alone_builds_with_paper_defaults(name: str, cls: type) -> None:
    # A config swaps the module by `type` only; the model adds num_classes.
    threshold = MODELS.build(dict(type=name, num_classes=4))
    assert type(threshold) is cls and isinstance(threshold, BaseThreshold)
    # Swapping from a FlexMatch config keeps its `tau`: every module must accept it.
    assert isinstance(MODELS.build(dict(type=name, num_classes=4, tau=0.3)), cls)


def test_paper_defaults() -> None:
    assert FixedThreshold().tau == 0.3
    flex = FlexMatchThreshold()
    assert flex.tau == 0.3 and flex.warmup is True and flex.num_samples is None
    assert FreeMatchThreshold().momentum == 0.999
    percentile = PercentileThreshold()
    assert percentile.ratio == 0.2 and percentile.class_balanced and percentile.num_samples is None


def test_num_classes_is_required_at_first_use() -> None:
    probs = _t([[0.5, 0.5]])
    with pytest.raises(RuntimeError, match='num_classes'):
        FixedThreshold().mask(probs)
    with pytest.raises(RuntimeError, match='num_classes'):
        FreeMatchThreshold().update(probs)
    with pytest.raises(ValueError, match=r'\(B, 3\)'):
        FixedThreshold(num_classes=3).mask(probs)


# --------------------------------------------------------------------------------------- fixed
def test_fixed_mask_and_no_state() -> None:
    fixed = FixedThreshold(num_classes=3, tau=0.5)
    probs = _t([[0.5, 0.3, 0.2], [0.4, 0.35, 0.25], [0.1, 0.2, 0.7], [0.3, 0.3, 0.4]])
    # max probs 0.5, 0.4, 0.7, 0.4 against 0.5
    assert fixed.mask(probs).tolist() == [1.0, 0.0, 1.0, 0.0]
    assert fixed.mask(probs).dtype == probs.dtype
    fixed.update(probs, _i([0, 1, 2, 3]))
    assert fixed.mask(probs).tolist() == [1.0, 0.0, 1.0, 0.0]
    assert torch.equal(fixed.class_thresholds(), torch.full((3,), 0.5))
    assert fixed.state_dict() == {}
    assert not fixed.learns and not fixed.needs_num_samples


# ----------------------------------------------------------------------------------- flexmatch
# A stream over N=6 unlabeled samples, C=3 classes, tau=0.5.
STEP1 = (_t([[0.8, 0.1, 0.1], [0.6, 0.3, 0.1], [0.2, 0.45, 0.35]]), _i([0, 1, 2]))
STEP2 = (
    _t(
        [
            [0.1, 0.7, 0.2],  # sample 2 -> class 1
            [0.1, 0.2, 0.7],  # sample 3 -> class 2
            [0.05, 0.9, 0.05],  # sample 4 -> class 1
            [0.4, 0.35, 0.25],  # sample 5: 0.4 < 0.5, stays -1
            [0.3, 0.3, 0.4],  # sample 1: 0.4 < 0.5, keeps class 0
        ]
    ),
    _i([2, 3, 4, 5, 1]),
)
STEP3 = (
    _t(
        [
            [0.1, 0.1, 0.8],  # sample 0 -> class 2 ...
            [0.1, 0.6, 0.3],  # ... then class 1: the last confident occurrence wins
            [0.45, 0.3, 0.25],  # ... then unconfident: does not count
            [0.2, 0.2, 0.6],  # sample 5 -> class 2
        ]
    ),
    _i([0, 0, 0, 5]),
)


def test_flexmatch_thresholds_follow_the_hand_computed_stream() -> None:
    flex = FlexMatchThreshold(num_classes=3, tau=0.5, num_samples=6)
    # Start: sigma = [0, 0, 0]; beta_c = 0 / max(0, 6 - 0) = 0; T = 0: everything passes.
    assert flex.selected.tolist() == [-1] * 6
    assert torch.allclose(flex.class_thresholds(), torch.zeros(3))
    assert flex.mask(_t([[0.34, 0.33, 0.33], [0.1, 0.1, 0.8]])).tolist() == [1.0, 1.0]

    flex.update(*STEP1)
    # Samples 0, 1 confident in class 0; sample 2 (0.45) not.
    # sigma = [2, 0, 0]; unselected = 6 - 2 = 4; beta = [2/4, 0, 0] = [0.5, 0, 0]
    # T_0 = 0.5 * 0.5 / (2 - 0.5) = 1/6
    assert flex.selected.tolist() == [0, 0, -1, -1, -1, -1]
    assert torch.allclose(flex.class_thresholds(), torch.tensor([1 / 6, 0.0, 0.0]))
    # Class 0 needs 1/6 (any argmax-0 row of 3 classes has >= 1/3); classes 1, 2 need 0.
    assert flex.mask(_t([[0.4, 0.3, 0.3], [0.3, 0.4, 0.3]])).tolist() == [1.0, 1.0]

    flex.update(*STEP2)
    # selected = [0, 0, 1, 2, 1, -1]; sigma = [2, 2, 1]; unselected = 6 - 5 = 1
    # beta = sigma / max(2, 1) = [1, 1, 0.5]; T = 0.5 * [1/1, 1/1, 0.5/1.5] = [0.5, 0.5, 1/6]
    assert flex.selected.tolist() == [0, 0, 1, 2, 1, -1]
    assert torch.allclose(flex.class_thresholds(), torch.tensor([0.5, 0.5, 1 / 6]))
    # The argmax class's threshold decides: 0.45 fails for class 1, passes for class 2.
    probs = _t([[0.3, 0.45, 0.25], [0.3, 0.25, 0.45], [0.5, 0.3, 0.2]])
    assert flex.mask(probs).tolist() == [0.0, 1.0, 1.0]

    flex.update(*STEP3)
    # selected = [1, 0, 1, 2, 1, 2]; sigma = [1, 3, 2]; unselected = 0
    # beta = sigma / max(3, 0) = [1/3, 1, 2/3]
    # T = 0.5 * [(1/3)/(5/3), 1/1, (2/3)/(4/3)] = [0.1, 0.5, 0.25]
    assert flex.selected.tolist() == [1, 0, 1, 2, 1, 2]
    assert torch.allclose(flex.class_thresholds(), torch.tensor([0.1, 0.5, 0.25]))


def test_flexmatch_without_warmup_normalises_by_the_best_class() -> None:
    flex = FlexMatchThreshold(num_classes=3, tau=0.5, num_samples=6, warmup=False)
    # All sigma 0: beta = 0 (no division by zero), T = 0.
    assert torch.allclose(flex.class_thresholds(), torch.zeros(3))
    flex.update(*STEP1)
    # sigma = [2, 0, 0]; beta = sigma / 2 = [1, 0, 0] (with warm-up it was [0.5, 0, 0])
    # T = [0.5 * 1 / 1, 0, 0] = [0.5, 0, 0] (with warm-up T_0 = 1/6)
    assert torch.allclose(flex.class_thresholds(), torch.tensor([0.5, 0.0, 0.0]))
    # Same confidence 0.45: fails as class 0 (T_0 = 0.5), passes as class 1 (T_1 = 0).
    assert flex.mask(_t([[0.45, 0.3, 0.25], [0.3, 0.45, 0.25]])).tolist() == [0.0, 1.0]


@pytest.mark.parametrize('warmup', [True, False])
def test_flexmatch_filters_nothing_while_no_confidence_reaches_tau(warmup: bool) -> None:
    # docs/reproduction.md: a teacher whose confidence stays below tau (5-shot SynthAV: mean
    # 0.44, tau 0.95) leaves every sigma_c at 0, every threshold at 0, and every label passing.
    probs = _t([[0.9, 0.05, 0.05], [0.05, 0.6, 0.35], [0.2, 0.3, 0.5], [0.34, 0.33, 0.33]])
    high = FlexMatchThreshold(num_classes=3, tau=0.95, num_samples=4, warmup=warmup)
    low = FlexMatchThreshold(num_classes=3, tau=0.5, num_samples=4, warmup=warmup)
    for flex in (high, low):
        for _ in range(3):
            flex.update(probs, _i([0, 1, 2, 3]))
    assert high.selected.tolist() == [-1] * 4
    assert torch.equal(high.class_thresholds(), torch.zeros(3))
    assert high.mask(probs).tolist() == [1.0] * 4
    # The same stream at tau 0.5: samples 0-2 are counted, so each class gets a threshold of
    # 0.5 * beta / (2 - beta) with beta = 1 / 1 (warm-up: 1 / max(1, 4 - 3)) = 0.5, and the
    # 0.34 argmax-0 sample is rejected.
    assert low.selected.tolist() == [0, 1, 2, -1]
    assert torch.allclose(low.class_thresholds(), torch.full((3,), 0.5))
    assert low.mask(probs).tolist() == [1.0, 1.0, 1.0, 0.0]


def test_flexmatch_mask_is_pure_and_low_confidence_changes_nothing() -> None:
    flex = FlexMatchThreshold(num_classes=3, tau=0.5, num_samples=6)
    flex.update(*STEP1)
    before = flex.selected.clone()
    flex.mask(*STEP2)
    assert torch.equal(flex.selected, before)
    flex.update(_t([[0.1, 0.45, 0.45], [0.4, 0.3, 0.3]]), _i([0, 3]))
    assert torch.equal(flex.selected, before)


def test_flexmatch_index_and_setup_errors() -> None:
    flex = FlexMatchThreshold(num_classes=3, tau=0.5, num_samples=6)
    with pytest.raises(IndexError, match=r'index 6 .*N=6'):
        flex.update(_t([[0.9, 0.05, 0.05]]), _i([6]))
    with pytest.raises(IndexError, match=r'index -1 .*N=6'):
        flex.mask(_t([[0.9, 0.05, 0.05]]), _i([-1]))
    assert flex.selected.tolist() == [-1] * 6
    unset = FlexMatchThreshold(num_classes=3)
    with pytest.raises(RuntimeError, match='setup'):
        unset.update(*STEP1)
    with pytest.raises(RuntimeError, match='setup'):
        unset.mask(STEP1[0])
    unset.setup(4)
    assert unset.num_samples == 4 and unset.selected.tolist() == [-1] * 4


# ----------------------------------------------------------------------------------- freematch
def test_freematch_emas_follow_hand_computed_values() -> None:
    free = FreeMatchThreshold(num_classes=3, momentum=0.9)
    # Start: global = 1/3, p = [1/3, 1/3, 1/3]; T = 1/3 for every class.
    assert torch.allclose(free.global_threshold, torch.tensor(1 / 3))
    assert torch.allclose(free.class_thresholds(), torch.full((3,), 1 / 3))

    free.update(_t([[0.7, 0.2, 0.1], [0.4, 0.5, 0.1]]))
    # mean max = (0.7 + 0.5) / 2 = 0.6; mean p = [0.55, 0.35, 0.1]
    # global = 0.9 / 3 + 0.1 * 0.6 = 0.36; p = 0.3 + 0.1 * [0.55, 0.35, 0.1] = [.355, .335, .31]
    assert torch.allclose(free.global_threshold, torch.tensor(0.36))
    assert torch.allclose(free.class_probs, torch.tensor([0.355, 0.335, 0.31]))

    free.update(_t([[0.2, 0.2, 0.6]]), _i([4]))
    # global = 0.9 * 0.36 + 0.1 * 0.6 = 0.384
    # p = 0.9 * [.355, .335, .31] + 0.1 * [.2, .2, .6] = [.3395, .3215, .339]
    # T = 0.384 * p / 0.3395 = [0.384, 0.384 * .3215 / .3395, 0.384 * .339 / .3395]
    assert torch.allclose(free.global_threshold, torch.tensor(0.384))
    assert torch.allclose(free.class_probs, torch.tensor([0.3395, 0.3215, 0.339]))
    expected = torch.tensor([0.384, 0.384 * 0.3215 / 0.3395, 0.384 * 0.339 / 0.3395])
    assert torch.allclose(free.class_thresholds(), expected)
    # 0.37 fails class 0 (0.384), passes class 1 (~0.3636).
    assert free.mask(_t([[0.37, 0.33, 0.30], [0.30, 0.37, 0.33]])).tolist() == [0.0, 1.0]


# ---------------------------------------------------------------------------------- percentile
# N=8 samples, C=3 classes. Latest records after PERC_STEP1 and PERC_STEP2:
#   class 0: samples 0 (0.9), 1 (0.5), 2 (0.6), 6 (0.45 -> replaced by 0.7 in step 2)
#   class 1: samples 3 (0.4), 4 (0.8)
#   class 2: none (sample 5 moves from class 2 to class 1 in step 2: 0.55)
PERC_STEP1 = (
    _t(
        [
            [0.9, 0.05, 0.05],
            [0.5, 0.3, 0.2],
            [0.6, 0.2, 0.2],
            [0.3, 0.4, 0.3],
            [0.1, 0.8, 0.1],
            [0.2, 0.2, 0.6],
            [0.45, 0.3, 0.25],
        ]
    ),
    _i([0, 1, 2, 3, 4, 5, 6]),
)
PERC_STEP2 = (_t([[0.1, 0.55, 0.35], [0.2, 0.1, 0.7], [0.7, 0.2, 0.1]]), _i([5, 6, 6]))


def test_percentile_thresholds_follow_the_hand_computed_stream() -> None:
    perc = PercentileThreshold(num_classes=3, ratio=0.5, num_samples=8)
    # Nothing recorded: every class at 1, nothing below certainty passes.
    assert torch.equal(perc.class_thresholds(), torch.ones(3))
    assert perc.mask(_t([[0.99, 0.005, 0.005]])).tolist() == [0.0]

    perc.update(*PERC_STEP1)
    # class 0: 0.9, 0.6, 0.5, 0.45 -> k = ceil(0.5 * 4) = 2 -> 0.6
    # class 1: 0.8, 0.4 -> k = 1 -> 0.8;  class 2: 0.6 alone -> k = 1 -> 0.6
    assert torch.allclose(perc.class_thresholds(), torch.tensor([0.6, 0.8, 0.6]))

    perc.update(*PERC_STEP2)
    # Sample 6 appears twice: the last record (class 0, 0.7) wins; sample 5 -> class 1, 0.55.
    assert perc.label.tolist() == [0, 0, 0, 1, 1, 1, 0, -1]
    assert torch.allclose(perc.confidence[5:7], torch.tensor([0.55, 0.7]))
    # class 0: 0.9, 0.7, 0.6, 0.5 -> 0.7;  class 1: 0.8, 0.55, 0.4 -> k = 2 -> 0.55;  class 2: 1
    assert torch.allclose(perc.class_thresholds(), torch.tensor([0.7, 0.55, 1.0]))
    probs = _t([[0.7, 0.2, 0.1], [0.69, 0.3, 0.01], [0.3, 0.56, 0.14], [0.1, 0.1, 0.8]])
    assert perc.mask(probs).tolist() == [1.0, 0.0, 1.0, 0.0]
    assert perc.label.tolist() == [0, 0, 0, 1, 1, 1, 0, -1]  # mask changed nothing


def test_percentile_over_all_samples_and_rank_rounding() -> None:
    perc = PercentileThreshold(num_classes=3, ratio=0.5, class_balanced=False, num_samples=8)
    perc.update(*PERC_STEP1)
    perc.update(*PERC_STEP2)
    # All 7 records: 0.9, 0.8, 0.7, 0.6, 0.55, 0.5, 0.4 -> k = ceil(3.5) = 4 -> 0.6 everywhere
    assert torch.allclose(perc.class_thresholds(), torch.full((3,), 0.6))
    # 0.7 * 10 is 7.000000000000001 in floating point: the rank must still be 7, not 8.
    ten = PercentileThreshold(num_classes=2, ratio=0.7, class_balanced=False, num_samples=10)
    confidence = torch.linspace(0.91, 0.55, 10)
    ten.update(torch.stack([confidence, 1 - confidence], dim=1), torch.arange(10))
    assert torch.isclose(ten.class_thresholds()[0], confidence[6])


def test_percentile_errors_and_state_dict() -> None:
    with pytest.raises(ValueError, match='ratio'):
        PercentileThreshold(ratio=0.0)
    with pytest.raises(ValueError, match='ratio'):
        PercentileThreshold(ratio=1.5)
    perc = PercentileThreshold(num_classes=3, ratio=0.5, num_samples=8)
    with pytest.raises(IndexError, match=r'PercentileThreshold: index 8 .*N=8'):
        perc.update(_t([[0.9, 0.05, 0.05]]), _i([8]))
    with pytest.raises(ValueError, match='indices'):
        perc.update(_t([[0.9, 0.05, 0.05]]))
    with pytest.raises(RuntimeError, match='PercentileThreshold has no per-sample state'):
        PercentileThreshold(num_classes=3).mask(_t([[0.9, 0.05, 0.05]]))
    perc.update(*PERC_STEP1)
    perc.update(*PERC_STEP2)
    # Saved and loaded into a module built for another unlabeled-set size (or none).
    for target_samples in (None, 3):
        target = PercentileThreshold(num_classes=3, ratio=0.5, num_samples=target_samples)
        target.load_state_dict(perc.state_dict())
        assert target.num_samples == 8
        assert torch.equal(target.label, perc.label)
        assert torch.allclose(target.class_thresholds(), perc.class_thresholds())


# ---------------------------------------------------------------------------------- state dicts
def _trained_flex(num_samples: int = 6) -> FlexMatchThreshold:
    flex = FlexMatchThreshold(num_classes=3, tau=0.5, num_samples=num_samples)
    for step in (STEP1, STEP2, STEP3):
        flex.update(*step)
    return flex


@pytest.mark.parametrize('target_samples', [None, 10, 3])
def test_flexmatch_state_dict_resizes_on_load(tmp_path: Path, target_samples: int | None) -> None:
    source = _trained_flex()
    torch.save(source.state_dict(), tmp_path / 's.pth')
    state = torch.load(tmp_path / 's.pth', weights_only=True)
    target = FlexMatchThreshold(num_classes=3, tau=0.5, num_samples=target_samples)
    target.load_state_dict(state)
    assert target.num_samples == 6
    assert torch.equal(target.selected, source.selected)
    assert torch.allclose(target.class_thresholds(), source.class_thresholds())


def test_flexmatch_loads_through_mmengine_with_a_prefix() -> None:
    # As in a checkpoint: the threshold is a submodule of the model.
    source = torch.nn.Module()
    source.threshold = _trained_flex()
    target = torch.nn.Module()
    target.threshold = FlexMatchThreshold(num_classes=3, tau=0.5)
    load_state_dict(target, source.state_dict(), strict=True)
    assert torch.equal(target.threshold.selected, source.threshold.selected)


def test_freematch_state_dict_round_trip() -> None:
    source = FreeMatchThreshold(num_classes=3, momentum=0.9)
    source.update(_t([[0.7, 0.2, 0.1], [0.4, 0.5, 0.1]]))
    fresh = FreeMatchThreshold(num_classes=3, momentum=0.9)
    fresh.load_state_dict(source.state_dict())
    assert torch.allclose(fresh.class_thresholds(), source.class_thresholds())
    unsized = FreeMatchThreshold(momentum=0.9)  # num_classes taken from the state
    unsized.load_state_dict(source.state_dict())
    assert unsized.num_classes == 3
    assert torch.allclose(unsized.class_thresholds(), source.class_thresholds())
    with pytest.raises(RuntimeError, match='3 classes'):
        FreeMatchThreshold(num_classes=4).load_state_dict(source.state_dict())


# --------------------------------------------------------------------------------- distributed
# Different batches (sizes 3 and 2) per rank; sample 2 is on both: rank 1's class wins.
RANK_BATCHES = {
    0: (_t([[0.8, 0.1, 0.1], [0.1, 0.7, 0.2], [0.6, 0.3, 0.1]]), _i([0, 1, 2])),
    1: (_t([[0.1, 0.2, 0.7], [0.2, 0.4, 0.4], [0.1, 0.6, 0.3]])[[0, 2]], _i([3, 2])),
}
# A second step through ThresholdHook where only rank 0's model has a batch: rank 1 must still
# join the gather (with an empty batch), or rank 0 would wait for ever.
RANK0_ONLY = (_t([[0.05, 0.05, 0.9]]), _i([5]))


def _modules() -> tuple[FlexMatchThreshold, FreeMatchThreshold, PercentileThreshold]:
    return (
        FlexMatchThreshold(num_classes=3, tau=0.5, num_samples=6),
        FreeMatchThreshold(num_classes=3, momentum=0.9),
        PercentileThreshold(num_classes=3, ratio=0.5, num_samples=6),
    )


def _rank_worker(rank: int, folder: str) -> None:
    torch.set_num_threads(1)
    # A rank left waiting in a gather fails after the timeout instead of hanging the tests.
    torch_dist.init_process_group(
        'gloo',
        init_method=f'file://{folder}/pg',
        rank=rank,
        world_size=2,
        timeout=timedelta(seconds=30),
    )
    try:
        from types import SimpleNamespace

        from avssl.engine.hooks import ThresholdHook

        flex, free, perc = _modules()
        for module in (flex, free, perc):
            module.update(*RANK_BATCHES[rank])
            model = SimpleNamespace(threshold=module, threshold_batch=None)
            if rank == 0:
                model.threshold_batch = RANK0_ONLY
            runner = SimpleNamespace(model=model, iter=0)
            ThresholdHook().after_train_iter(runner, batch_idx=0)
        state = {'flex.' + k: v for k, v in flex.state_dict().items()}
        state.update({'free.' + k: v for k, v in free.state_dict().items()})
        state.update({'perc.' + k: v for k, v in perc.state_dict().items()})
        torch.save(state, os.path.join(folder, f'rank{rank}.pth'))
    finally:
        torch_dist.destroy_process_group()


def test_ranks_agree_with_one_process_on_the_gathered_batch(tmp_path: Path) -> None:
    mp.spawn(_rank_worker, args=(str(tmp_path),), nprocs=2, join=True)
    states = [torch.load(tmp_path / f'rank{r}.pth', weights_only=True) for r in (0, 1)]

    flex, free, perc = _modules()
    probs = torch.cat([RANK_BATCHES[0][0], RANK_BATCHES[1][0]])
    indices = torch.cat([RANK_BATCHES[0][1], RANK_BATCHES[1][1]])
    for module in (flex, free, perc):
        module.update(probs, indices)
        module.update(*RANK0_ONLY)
    # Gathered in rank order: 0 -> 0, 1 -> 1, 2 -> 0 (rank 0), 3 -> 2, 2 -> 1 (rank 1, wins);
    # then 5 -> 2 from rank 0 alone.
    assert flex.selected.tolist() == [0, 1, 1, 2, -1, 2]

    for state in states:
        assert state['flex.selected'].tolist() == flex.selected.tolist()
        assert torch.allclose(state['free.global_threshold'], free.global_threshold)
        assert torch.allclose(state['free.class_probs'], free.class_probs)
        assert state['perc.label'].tolist() == perc.label.tolist() == [0, 1, 1, 2, -1, 2]
        assert torch.equal(state['perc.confidence'], perc.confidence)
    assert torch.equal(states[0]['free.class_probs'], states[1]['free.class_probs'])
