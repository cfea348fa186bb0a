"""Test a checkpoint: ``python tools/test.py CONFIG CHECKPOINT [options]``.

``CHECKPOINT`` is a ``.pth`` file or a work dir (its ``last_checkpoint`` is used).
"""

from __future__ import annotations

import argparse
import json
import os.path as osp

from mmengine.config import Config, DictAction
from mmengine.runner import Runner

from avssl.utils import TEST_GUARD_HOOKS, add_guard_hooks, init_cpu_distributed
from avssl.utils.cli import apply_common_args, resolve_checkpoint


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Test an avssl model')
    parser.add_argument('config', help='config file')
    parser.add_argument('checkpoint', help='checkpoint file, or a training work dir')
    parser.add_argument(
        '--work-dir', help='folder for the test logs and test_metrics.json (metrics as JSON)'
    )
    parser.add_argument('--dump', help='write the predictions to this .pkl file')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction, help='override config entries, key=value'
    )
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'], default='none')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    return parser.parse_args()


def build_config(args: argparse.Namespace) -> Config:
    """Load the config and apply the command-line arguments to it."""
    cfg = Config.fromfile(args.config)
    apply_common_args(cfg, args.config, args.work_dir, args.cfg_options, args.launcher)
    cfg.load_from = resolve_checkpoint(args.checkpoint, 'checkpoint')
    cfg.resume = False
    add_guard_hooks(cfg, TEST_GUARD_HOOKS)  # a checkpoint of another model is an error
    if args.dump is not None:
        if not args.dump.endswith(('.pkl', '.pickle')):
            raise ValueError(f'--dump must name a .pkl or .pickle file, got {args.dump}')
        dump = dict(type='DumpResults', out_file_path=args.dump)
        evaluators = cfg.test_evaluator
        if not isinstance(evaluators, list):
            evaluators = [evaluators]
        cfg.test_evaluator = [*evaluators, dump]
    return cfg


def main() -> None:
    args = parse_args()
    cfg = build_config(args)
    init_cpu_distributed(args.launcher)
    runner = Runner.from_cfg(cfg)
    metrics = runner.test()
    if runner.rank == 0:
        # Machine-readable copy of the printed metrics, for scripts that collect results.
        out = osp.join(cfg.work_dir, 'test_metrics.json')
        with open(out, 'w', encoding='utf-8') as f:
            json.dump({'checkpoint': cfg.load_from, **metrics}, f, indent=2)


if __name__ == '__main__':
    main()
