"""ThresholdHook: sizes the threshold state, updates it after each iteration, logs it."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import torch
from mmengine.dataset import BaseDataset, ConcatDataset
from mmengine.logging import MessageHub
from mmengine.model import BaseModel
from torch import nn

from avssl.engine.hooks import ThresholdHook
from avssl.models.thresholds import FixedThreshold, FlexMatchThreshold, FreeMatchThreshold
from avssl.registry import HOOKS


class _InMemoryDataset(BaseDataset):
    """``size`` items held in memory, no files."""

    def __init__(self, size: int) -> None:
        self._size = size
        super().__init__(serialize_data=False)

    def load_data_list(self) -> list[dict]:
        return [dict(index=i) for i in range(self._size)]


class _Model(nn.Module):
    def __init__(self, threshold: nn.Module) -> None:
        super().__init__()
        self.threshold = threshold
        self.threshold_batch: tuple[torch.Tensor, torch.Tensor] | None = None


class _SpyVisualizer:
    """Records ``add_scalars`` calls as ``(scalar_dict, step)``."""

    def __init__(self) -> None:
        self.calls: list[tuple[dict, int]] = []

    def add_scalars(self, scalar_dict: dict, step: int = 0, **kwargs) -> None:
        self.calls.append((dict(scalar_dict), step))


def _runner(model: nn.Module, num_labeled: int = 2, num_unlabeled: int = 7) -> SimpleNamespace:
    dataset = ConcatDataset([_InMemoryDataset(num_labeled), _InMemoryDataset(num_unlabeled)])
    return SimpleNamespace(
        model=model,
        train_dataloader=SimpleNamespace(dataset=dataset),
        message_hub=MessageHub('test_threshold_hook'),
        visualizer=_SpyVisualizer(),
        iter=0,
    )


def _batch() -> tuple[torch.Tensor, torch.Tensor]:
    probs = torch.tensor([[0.9, 0.05, 0.05], [0.1, 0.8, 0.1], [0.4, 0.3, 0.3]])
    return probs, torch.tensor([6, 1, 0])


def test_registered_above_normal_before_checkpointing() -> None:
    hook = HOOKS.build(dict(type='ThresholdHook'))
    assert isinstance(hook, ThresholdHook)
    assert hook.priority == 'ABOVE_NORMAL' and hook.log_interval == 50


@pytest.mark.parametrize('wrapped', [False, True])
def test_sizes_updates_clears_and_logs(wrapped: bool) -> None:
    model = _Model(FlexMatchThreshold(num_classes=3, tau=0.5))
    runner = _runner(SimpleNamespace(module=model) if wrapped else model)
    hook = ThresholdHook(log_interval=2)

    hook.before_run(runner)
    assert model.threshold.num_samples == 7  # the unlabeled set, not labeled + unlabeled

    model.threshold_batch = _batch()
    hook.after_train_iter(runner, batch_idx=0)  # iter 0: updates, does not log
    assert model.threshold_batch is None
    assert model.threshold.selected.tolist() == [-1, 1, -1, -1, -1, -1, 0]
    assert 'train/threshold_mean' not in runner.message_hub.log_scalars
    assert runner.visualizer.calls == []

    runner.iter = 1  # (1 + 1) % 2 == 0: logs; nothing new to learn
    hook.after_train_iter(runner, batch_idx=1)
    # sigma = [1, 1, 0]; unselected 5; beta = [0.2, 0.2, 0]; T = 0.5 * 0.2 / 1.8 = 1/18
    expected = [1 / 18, 1 / 18, 0.0]
    scalars = runner.message_hub.log_scalars
    assert scalars['train/threshold_mean'].current() == pytest.approx(sum(expected) / 3)
    assert scalars['train/threshold_max'].current() == pytest.approx(1 / 18)
    assert scalars['train/threshold_min'].current() == pytest.approx(0.0)
    # The text log shows the message hub's train/ scalars: only the summary goes there.
    assert sorted(k for k in scalars if 'threshold' in k) == [
        'train/threshold_max',
        'train/threshold_mean',
        'train/threshold_min',
    ]
    # The full vector goes to the visualizer backends, in one call at the logged step.
    ((values, step),) = runner.visualizer.calls
    assert step == 2
    assert list(values) == ['threshold/class_0', 'threshold/class_1', 'threshold/class_2']
    assert list(values.values()) == pytest.approx(expected)


def test_before_run_keeps_a_correctly_sized_state_and_honours_the_override() -> None:
    model = _Model(FlexMatchThreshold(num_classes=3, tau=0.5, num_samples=7))
    model.threshold.selected[3] = 2
    ThresholdHook().before_run(_runner(model))
    assert model.threshold.selected[3] == 2  # same size: state kept
    ThresholdHook(num_samples=9).before_run(_runner(model))
    assert model.threshold.num_samples == 9


def test_unknown_unlabeled_size_is_a_clear_error() -> None:
    model = _Model(FlexMatchThreshold(num_classes=3))
    runner = _runner(model)
    runner.train_dataloader = SimpleNamespace(dataset=_InMemoryDataset(4))
    with pytest.raises(ValueError, match='ConcatDataset.*num_samples'):
        ThresholdHook().before_run(runner)
    del runner.train_dataloader
    with pytest.raises(RuntimeError, match='num_samples'):
        ThresholdHook().before_run(runner)


def test_fixed_needs_no_setup_and_freematch_learns() -> None:
    fixed = _Model(FixedThreshold(num_classes=3))
    runner = SimpleNamespace(
        model=fixed, message_hub=MessageHub('thr_fixed'), visualizer=_SpyVisualizer(), iter=0
    )
    hook = ThresholdHook(log_interval=1)
    hook.before_run(runner)  # no data loader needed
    fixed.threshold_batch = _batch()
    hook.after_train_iter(runner, batch_idx=0)
    assert fixed.threshold_batch is None
    assert runner.message_hub.log_scalars['train/threshold_mean'].current() == pytest.approx(0.3)

    free = _Model(FreeMatchThreshold(num_classes=3, momentum=0.5))
    runner.model = free
    free.threshold_batch = _batch()
    hook.after_train_iter(runner, batch_idx=0)
    # global = 0.5 / 3 + 0.5 * mean(0.9, 0.8, 0.4) = 1/6 + 0.35
    assert free.threshold.global_threshold.item() == pytest.approx(1 / 6 + 0.35)
    assert free.threshold_batch is None


def test_model_without_threshold_is_rejected() -> None:
    runner = _runner(nn.Linear(2, 2))
    with pytest.raises(TypeError, match='threshold'):
        ThresholdHook().before_run(runner)


# ----------------------------------------------------------------------- with a real mmengine run
class _ToyItems(BaseDataset):
    """``size`` items, each ``dict(index, unlabeled)``."""

    def __init__(self, size: int, unlabeled: bool) -> None:
        self._size, self._unlabeled = size, unlabeled
        super().__init__(serialize_data=False)

    def load_data_list(self) -> list[dict]:
        return [dict(index=i, unlabeled=self._unlabeled) for i in range(self._size)]


class _ToySemiModel(BaseModel):
    """Teacher probabilities fixed by the unlabeled index: class ``index % 3`` at 0.9."""

    def __init__(self, num_samples: int | None = None) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(1))
        self.threshold = FlexMatchThreshold(num_classes=3, tau=0.5, num_samples=num_samples)
        self.threshold_batch = None
        self.calls = 0

    def forward(self, index: list, unlabeled: list, mode: str = 'loss', **kwargs) -> dict:
        indices = torch.tensor([i for i, u in zip(index, unlabeled, strict=True) if u])
        probs = torch.full((len(indices), 3), 0.05)
        probs[torch.arange(len(indices)), indices % 3] = 0.9
        self.threshold_batch = (probs, indices)
        self.calls += 1
        return dict(loss=(self.weight**2).sum())


def _train(
    work_dir: Path, max_iters: int, name: str, resume: Path | None = None, **runner_kwargs: Any
) -> BaseModel:
    from mmengine.runner import Runner

    model = _ToySemiModel()
    runner = Runner(
        model=model,
        work_dir=str(work_dir),
        experiment_name=name,
        train_dataloader=dict(
            dataset=ConcatDataset([_ToyItems(2, False), _ToyItems(7, True)]),
            sampler=dict(type='InfiniteSampler', shuffle=False),
            batch_size=3,
            num_workers=0,
        ),
        train_cfg=dict(by_epoch=False, max_iters=max_iters),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1)),
        default_hooks=runner_kwargs.pop(
            'default_hooks',
            dict(checkpoint=dict(type='CheckpointHook', interval=2, by_epoch=False)),
        ),
        custom_hooks=[dict(type='ThresholdHook', log_interval=1)],
        resume=resume is not None,
        load_from=str(resume) if resume is not None else None,
        default_scope='avssl',
        **runner_kwargs,
    )
    runner.train()
    return model


def test_checkpoints_hold_the_state_and_resume_restores_it(tmp_path: Path) -> None:
    # Batches (no shuffle) of the concat set [2 labeled, 7 unlabeled], 3 per iteration:
    # iter 0 -> unlabeled 0; iter 1 -> unlabeled 1, 2, 3; iter 2 -> unlabeled 4, 5, 6.
    full = _train(tmp_path / 'full', 3, 'thr_full')
    assert full.threshold.selected.tolist() == [0, 1, 2, 0, 1, 2, 0]
    ckpt = torch.load(tmp_path / 'full' / 'iter_2.pth', weights_only=True)
    # Saved after the update of iteration 2 (the hook runs before CheckpointHook).
    assert ckpt['state_dict']['threshold.selected'].tolist() == [0, 1, 2, 0, -1, -1, -1]

    resumed = _train(tmp_path / 'resumed', 3, 'thr_resumed', tmp_path / 'full' / 'iter_2.pth')
    # Only iteration 2 ran (unlabeled 4, 5, 6): the records of 0..3 came from the checkpoint.
    assert resumed.calls == 1
    assert resumed.threshold.selected.tolist() == [0, 1, 2, 0, 1, 2, 0]


def test_a_run_logs_the_summary_as_text_and_the_vector_to_the_visualizer(tmp_path: Path) -> None:
    _train(
        tmp_path,
        3,
        'thr_vis',
        default_hooks=dict(logger=dict(type='LoggerHook', interval=1), checkpoint=None),
        visualizer=dict(
            type='Visualizer', vis_backends=[dict(type='LocalVisBackend')], name='thr_vis'
        ),
    )
    (log_file,) = tmp_path.glob('*/*.log')
    lines = [line for line in log_file.read_text().splitlines() if '(train)' in line]
    assert len(lines) == 3
    for line in lines:
        assert 'threshold_min' in line and 'threshold_mean' in line and 'threshold_max' in line
        assert 'threshold_c' not in line  # no per-class value (the old threshold_c{k})
        assert 'class_' not in line

    (scalars_file,) = tmp_path.glob('*/vis_data/scalars.json')
    records = [json.loads(line) for line in scalars_file.read_text().splitlines()]
    vectors = {r['step']: r for r in records if 'threshold/class_0' in r}
    # Unlabeled items 0 | 1, 2, 3 | 4, 5, 6 (classes index % 3); T_c = 0.5 * beta / (2 - beta):
    # step 1: beta = [1/6, 0, 0]; step 2: [2/3, 1/3, 1/3]; step 3: [1, 2/3, 2/3].
    expected = {1: [1 / 22, 0.0, 0.0], 2: [0.25, 0.1, 0.1], 3: [0.5, 0.25, 0.25]}
    assert sorted(vectors) == [1, 2, 3]
    for step, values in expected.items():
        got = [vectors[step][f'threshold/class_{k}'] for k in range(3)]
        assert got == pytest.approx(values)
        assert 'threshold/class_3' not in vectors[step]
    # The summary reaches the backend too, through the LoggerHook.
    assert any('threshold_max' in r for r in records)
