"""IndexSkipIterBasedTrainLoop: resume skips the trained indices without loading them."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from mmengine.dataset import BaseDataset, InfiniteSampler
from mmengine.model import BaseModel
from torch import nn

from avssl.engine.loops import IndexSkipIterBasedTrainLoop, SkipFirstSampler
from avssl.registry import LOOPS


class _CountingItems(BaseDataset):
    """``size`` items ``dict(index=i)``; counts how many were loaded."""

    loads = 0  # class-wide: the runner may copy the data set object

    def __init__(self, size: int) -> None:
        self._size = size
        super().__init__(serialize_data=False)

    def load_data_list(self) -> list[dict]:
        return [dict(index=i) for i in range(self._size)]

    def __getitem__(self, idx: int) -> dict:
        type(self).loads += 1
        return super().__getitem__(idx)


class _RecordingModel(BaseModel):
    """Records the indices of every batch it trains on."""

    def __init__(self) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(1))
        self.seen: list[list[int]] = []

    def forward(self, index: list, mode: str = 'loss', **kwargs) -> dict:
        self.seen.append([int(i) for i in index])
        return dict(loss=(self.weight**2).sum())


def _train(
    work_dir: Path,
    max_iters: int,
    loop: str,
    resume: Path | None = None,
    workers: int = 0,
    persistent: bool = False,
) -> tuple[_RecordingModel, _CountingItems]:
    from mmengine.runner import Runner

    model, data = _RecordingModel(), _CountingItems(7)
    _CountingItems.loads = 0
    runner = Runner(
        model=model,
        work_dir=str(work_dir),
        experiment_name=f'{work_dir.name}_{loop}',
        train_dataloader=dict(
            dataset=data,
            sampler=dict(type='InfiniteSampler', shuffle=True, seed=3),
            batch_size=2,
            num_workers=workers,
            persistent_workers=persistent,
        ),
        train_cfg=dict(type=loop, max_iters=max_iters),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1)),
        default_hooks=dict(checkpoint=dict(type='CheckpointHook', interval=3, by_epoch=False)),
        resume=resume is not None,
        load_from=str(resume) if resume is not None else None,
        default_scope='avssl',
    )
    runner.train()
    return model, data


def test_registered() -> None:
    assert LOOPS.get('IndexSkipIterBasedTrainLoop') is IndexSkipIterBasedTrainLoop


def test_skip_first_sampler_drops_the_leading_indices_and_delegates() -> None:
    stream = iter(InfiniteSampler(list(range(5)), shuffle=True, seed=1))
    full = [next(stream) for _ in range(12)]
    base = InfiniteSampler(list(range(5)), shuffle=True, seed=1)
    wrapped = iter(SkipFirstSampler(base, 7))
    assert [next(wrapped) for _ in range(5)] == full[7:]
    assert len(SkipFirstSampler(base, 7)) == len(base)
    assert SkipFirstSampler(base, 7).seed == 1  # attributes of the wrapped sampler
    with pytest.raises(ValueError, match='skip'):
        SkipFirstSampler(base, -1)


def test_resume_trains_on_the_same_batches_without_loading_the_skipped_ones(
    tmp_path: Path,
) -> None:
    full, _ = _train(tmp_path / 'full', 7, 'IndexSkipIterBasedTrainLoop')
    assert len(full.seen) == 7
    resumed, _ = _train(
        tmp_path / 'resumed', 7, 'IndexSkipIterBasedTrainLoop', tmp_path / 'full' / 'iter_3.pth'
    )
    # iterations 3..6 on the same batches as the uninterrupted run
    assert resumed.seen == full.seen[3:]
    # only those 4 batches of 2 were loaded, not the 3 trained before the checkpoint
    assert _CountingItems.loads == 8


def test_mmengine_loop_replays_the_skipped_batches(tmp_path: Path) -> None:
    full, _ = _train(tmp_path / 'full', 7, 'IterBasedTrainLoop')
    resumed, _ = _train(
        tmp_path / 'resumed', 7, 'IterBasedTrainLoop', tmp_path / 'full' / 'iter_3.pth'
    )
    assert resumed.seen == full.seen[3:]
    assert _CountingItems.loads == 14  # 3 replayed batches + 4 trained ones, 2 items each


@pytest.mark.parametrize('persistent', [False, True])
def test_resume_order_with_prefetching_workers(tmp_path: Path, persistent: bool) -> None:
    # The loader built at construction prefetches batches from the sampler's stream before
    # the resume point is known; the skip must count from the stream's start regardless.
    loop = 'IndexSkipIterBasedTrainLoop'
    full, _ = _train(tmp_path / 'full', 7, loop, workers=2, persistent=persistent)
    resumed, _ = _train(
        tmp_path / 'resumed', 7, loop, tmp_path / 'full' / 'iter_3.pth', 2, persistent
    )
    assert resumed.seen == full.seen[3:]


def test_other_samplers_fall_back_to_replay(tmp_path: Path) -> None:
    from mmengine.runner import Runner

    runner = Runner(
        model=_RecordingModel(),
        work_dir=str(tmp_path),
        train_dataloader=dict(
            dataset=_CountingItems(7),
            sampler=dict(type='DefaultSampler', shuffle=False),
            batch_size=2,
            num_workers=0,
        ),
        train_cfg=dict(type='IndexSkipIterBasedTrainLoop', max_iters=2),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1)),
        default_scope='avssl',
    )
    assert runner.train_loop._skip_indices(1) is False
