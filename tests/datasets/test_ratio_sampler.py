"""RatioSampler: exact per-batch ratio, seeded infinite streams, rank slicing, errors."""

from __future__ import annotations

from itertools import islice

import pytest
import torch
from mmengine.dataset import BaseDataset, ConcatDataset

import avssl.datasets.samplers.ratio_sampler as ratio_module
from avssl.datasets.samplers import RatioSampler
from avssl.registry import DATA_SAMPLERS

NUM_LABELED = 7
NUM_UNLABELED = 40


class _InMemoryDataset(BaseDataset):
    """``size`` items ``{'value': i, 'source': source}`` without files."""

    def __init__(self, size: int, source: int = 0) -> None:
        self._size, self._source = size, source
        super().__init__(serialize_data=False)

    def load_data_list(self) -> list[dict]:
        return [dict(value=i, source=self._source) for i in range(self._size)]


def _concat(sizes: tuple[int, ...] = (NUM_LABELED, NUM_UNLABELED)) -> ConcatDataset:
    return ConcatDataset([_InMemoryDataset(n, source) for source, n in enumerate(sizes)])


def _batches(sampler: RatioSampler, num: int) -> list[list[int]]:
    indices = list(islice(iter(sampler), num * sampler.batch_size))
    return [indices[i : i + sampler.batch_size] for i in range(0, len(indices), sampler.batch_size)]


@pytest.mark.parametrize('batch_size', [6, 12])
def test_every_batch_has_the_ratio(batch_size: int) -> None:
    sampler = RatioSampler(_concat(), batch_size, source_ratio=(1, 5), seed=0)
    batches = _batches(sampler, 60)
    assert len(batches) == 60
    for batch in batches:
        labeled = [i for i in batch if i < NUM_LABELED]
        assert len(labeled) == batch_size // 6
        assert batch[: len(labeled)] == labeled  # source 0 first
        assert all(NUM_LABELED <= i < NUM_LABELED + NUM_UNLABELED for i in batch[len(labeled) :])


def test_deterministic_per_seed_and_different_across_seeds() -> None:
    first = _batches(RatioSampler(_concat(), 6, seed=3), 20)
    assert _batches(RatioSampler(_concat(), 6, seed=3), 20) == first
    assert _batches(RatioSampler(_concat(), 6, seed=4), 20) != first
    ordered = _batches(RatioSampler(_concat(), 6, shuffle=False, seed=3), 2)
    assert ordered == [[0, 7, 8, 9, 10, 11], [1, 12, 13, 14, 15, 16]]


def test_labeled_cycles_and_unlabeled_is_covered() -> None:
    batches = _batches(RatioSampler(_concat(), 6, seed=1), 70)
    labeled = [b[0] for b in batches]
    cycles = [labeled[i : i + NUM_LABELED] for i in range(0, 70, NUM_LABELED)]
    assert len(cycles) == 10
    assert all(sorted(c) == list(range(NUM_LABELED)) for c in cycles)  # each item once a cycle
    assert len({tuple(c) for c in cycles}) > 1  # reshuffled after each pass
    # 8 batches x 5 = one pass over the 40 unlabeled items, each exactly once.
    unlabeled = [i for b in batches[:8] for i in b[1:]]
    assert sorted(unlabeled) == list(range(NUM_LABELED, NUM_LABELED + NUM_UNLABELED))
    # The unlabeled stream does not depend on how often the labeled set cycled.
    small = _batches(RatioSampler(_concat((3, NUM_UNLABELED)), 6, seed=1), 8)
    assert [b[1:] for b in small] == [[i - 4 for i in b[1:]] for b in batches[:8]]


def test_ranks_get_disjoint_batches_that_interleave_to_the_single_stream(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    single = _batches(RatioSampler(_concat(), 6, seed=5), 16)
    rank0 = _batches(RatioSampler(_concat(), 6, seed=5, rank=0, world_size=2), 8)
    monkeypatch.setattr(ratio_module, 'get_dist_info', lambda: (1, 2))
    sampler1 = RatioSampler(_concat(), 6, seed=5)
    assert (sampler1.rank, sampler1.world_size) == (1, 2)
    rank1 = _batches(sampler1, 8)
    assert [b for pair in zip(rank0, rank1, strict=True) for b in pair] == single
    # One pass over the unlabeled set (4 steps x 2 ranks x 5): no item on both ranks.
    unl0 = {i for b in rank0[:4] for i in b[1:]}
    unl1 = {i for b in rank1[:4] for i in b[1:]}
    assert not unl0 & unl1
    assert len(unl0 | unl1) == NUM_UNLABELED
    # Same composition on every rank.
    assert all(sum(i < NUM_LABELED for i in b) == 1 for b in rank0 + rank1)


def test_seed_none_is_synchronised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ratio_module, 'sync_random_seed', lambda: 11)
    sampler = RatioSampler(_concat(), 6)
    assert sampler.seed == 11
    assert _batches(sampler, 5) == _batches(RatioSampler(_concat(), 6, seed=11), 5)


def test_errors_name_the_values() -> None:
    with pytest.raises(ValueError, match=r'batch_size=7.*source_ratio=\(1, 5\)'):
        RatioSampler(_concat(), 7, source_ratio=(1, 5), seed=0)
    with pytest.raises(ValueError, match=r'source_ratio=\(1, 2, 3\) has 3 entries.*2 sources'):
        RatioSampler(_concat(), 6, source_ratio=(1, 2, 3), seed=0)
    with pytest.raises(ValueError, match=r'source_ratio=\(0, 0\)'):
        RatioSampler(_concat(), 6, source_ratio=(0, 0), seed=0)
    with pytest.raises(TypeError, match='ConcatDataset'):
        RatioSampler(_InMemoryDataset(3), 6, seed=0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match='rank=2'):
        RatioSampler(_concat(), 6, seed=0, rank=2, world_size=2)


def test_built_from_config_in_a_dataloader() -> None:
    dataset = _concat()
    sampler = DATA_SAMPLERS.build(
        dict(type='RatioSampler', batch_size=4, source_ratio=(1, 1)),
        default_args=dict(dataset=dataset, seed=0),
    )
    assert isinstance(sampler, RatioSampler)
    assert len(sampler) == NUM_LABELED + NUM_UNLABELED
    sampler.set_epoch(3)
    loader = torch.utils.data.DataLoader(
        dataset, batch_size=4, sampler=sampler, collate_fn=lambda items: items
    )
    for batch in islice(loader, 5):
        assert [item['source'] for item in batch] == [0, 0, 1, 1]
