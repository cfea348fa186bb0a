"""How fast the training data pipeline feeds the model, beside the model's own step time.

``python tools/analysis/benchmark_loader.py CONFIG [--workers 0 1 2] [--batches 20]``

For each number of data-loading workers it times ``--batches`` batches of the config's
training dataloader (after ``--warmup`` batches, which absorb worker start-up) and reports
items/s and clips/s, where a clip is one decoded view (an unlabeled item of a semi-supervised
batch gives two: weak and strong, each with frames and audio). It then times
``model.train_step`` on one such batch. If the loader's seconds per batch exceed the step's,
loading is the bottleneck at that worker count.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import torch
from mmengine.config import Config, DictAction
from mmengine.optim import build_optim_wrapper
from mmengine.runner import Runner

from avssl.registry import MODELS
from avssl.utils import register_all_modules
from avssl.utils.cli import load_config


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Benchmark the training data pipeline')
    parser.add_argument('config')
    parser.add_argument('--workers', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--batches', type=int, default=20, help='timed batches per setting')
    parser.add_argument('--warmup', type=int, default=3, help='untimed batches first')
    parser.add_argument('--steps', type=int, default=5, help='timed model steps')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def count_clips(batch: dict[str, Any]) -> int:
    """Decoded views in a batch: one per item, or one per filled branch of a multi-branch item."""
    samples = batch['data_samples']
    if samples and isinstance(samples[0], dict):
        return sum(1 for item in samples for branch in item.values() if branch is not None)
    return len(samples)


def time_loader(cfg: Config, workers: int, batches: int, warmup: int) -> dict[str, float]:
    """Seconds per batch, items/s and clips/s of the training dataloader with ``workers``."""
    loader_cfg = cfg.train_dataloader.to_dict()
    loader_cfg['num_workers'] = workers
    loader_cfg['persistent_workers'] = False
    loader = Runner.build_dataloader(loader_cfg, seed=0)
    iterator = iter(loader)
    for _ in range(warmup):
        next(iterator)
    items = clips = 0
    start = time.perf_counter()
    for _ in range(batches):
        batch = next(iterator)
        items += len(batch['data_samples'])
        clips += count_clips(batch)
    seconds = time.perf_counter() - start
    del iterator
    return {
        's_per_batch': seconds / batches,
        'items_per_s': items / seconds,
        'clips_per_s': clips / seconds,
    }


def time_train_step(cfg: Config, steps: int) -> float:
    """Seconds per ``train_step`` (forward, backward, optimizer) on one real batch."""
    loader_cfg = cfg.train_dataloader.to_dict()
    loader_cfg['num_workers'] = 0
    loader_cfg['persistent_workers'] = False
    loader = Runner.build_dataloader(loader_cfg, seed=0)
    batch = next(iter(loader))
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.train()
    threshold = getattr(model, 'threshold', None)
    if getattr(threshold, 'needs_num_samples', False):
        # What ThresholdHook.before_run does in a real run: size the per-sample state to the
        # unlabeled set (the second data set of the semi-supervised ConcatDataset).
        threshold.setup(len(loader.dataset.datasets[1]))
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    model.train_step(batch, wrapper)  # warm-up
    start = time.perf_counter()
    for _ in range(steps):
        model.train_step(batch, wrapper)
    return (time.perf_counter() - start) / steps


def main() -> None:
    args = parse_args()
    register_all_modules()
    cfg = load_config(args.config, args.cfg_options)
    batch_size = cfg.train_dataloader.batch_size
    rows = [(w, time_loader(cfg, w, args.batches, args.warmup)) for w in args.workers]
    step = time_train_step(cfg, args.steps)
    print(
        f'config: {args.config}  batch size: {batch_size}  torch threads: {torch.get_num_threads()}'
    )
    print('| workers | s/batch | items/s | clips/s | model step s | loader-bound |')
    print('|---|---|---|---|---|---|')
    for workers, r in rows:
        bound = 'yes' if r['s_per_batch'] > step else 'no'
        print(
            f'| {workers} | {r["s_per_batch"]:.3f} | {r["items_per_s"]:.1f} | '
            f'{r["clips_per_s"]:.1f} | {step:.3f} | {bound} |'
        )


if __name__ == '__main__':
    main()
