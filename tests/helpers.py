"""Helpers shared by the tests (imported as ``helpers``; ``tests/`` is on ``sys.path``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from mmengine.config import Config

REPO = Path(__file__).resolve().parents[1]

#: Arguments of a SynthAV set small enough to generate in a few seconds.
TINY_SYNTHAV = dict(
    num_classes=4,
    clips_per_class=10,
    num_distractors=1,
    seed=0,
    duration=1.2,
    workers=1,
    progress=False,
)


def make_tiny_synthav(out_dir: Path) -> Path:
    """Generate a tiny SynthAV folder at ``out_dir`` and return it."""
    from avssl.datasets.synthav import generate_synthav

    generate_synthav(out_dir, **TINY_SYNTHAV)
    return out_dir


def tiny_train_config(
    config: str,
    data_root: Path,
    work_dir: Path,
    max_iters: int = 2,
    batch_size: int = 2,
    num_workers: int = 1,
    checkpoint_interval: int = 1,
) -> Config:
    """Load a user config and shrink it to a few iterations on a tiny data set."""
    cfg = Config.fromfile(str(REPO / config))
    cfg.work_dir = str(work_dir)
    for split in ('train', 'val', 'test'):
        loader = cfg.get(f'{split}_dataloader')
        if loader is None:
            continue
        _point_dataset(loader['dataset'], data_root)
        loader['num_workers'] = num_workers
        loader['persistent_workers'] = False
        if split == 'train':
            loader['batch_size'] = batch_size
    cfg.model.cls_head.num_classes = TINY_SYNTHAV['num_classes']
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=10**9)
    cfg.param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
    cfg.default_hooks.checkpoint = dict(
        type='CheckpointHook', interval=checkpoint_interval, by_epoch=False
    )
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=1)
    return cfg


def _point_dataset(dataset: dict[str, Any], data_root: Path) -> None:
    dataset['data_root'] = str(data_root)
    dataset['auto_generate'] = False


def run_tool(args: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run ``python <args>`` from ``cwd`` and return the finished process (output captured)."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
