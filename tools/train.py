"""Train a model from a config: ``python tools/train.py CONFIG [options]``.

Distributed: ``tools/dist_train.sh CONFIG NUM_PROCS`` (torchrun; gloo on CPU, NCCL on GPUs).

Every run holds ``<work_dir>/train.lock`` (a second run on the same work dir is refused) and
gets the fault guards of :data:`avssl.utils.TRAIN_GUARD_HOOKS` (``docs/faults.md``).
"""

from __future__ import annotations

import argparse

from mmengine.config import Config, DictAction
from mmengine.runner import Runner

from avssl.utils import (
    TRAIN_GUARD_HOOKS,
    WorkDirLock,
    add_guard_hooks,
    init_cpu_distributed,
    launcher_rank,
)
from avssl.utils.cli import apply_common_args, enable_amp, resolve_checkpoint


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train an avssl model')
    parser.add_argument('config', help='config file')
    parser.add_argument('--work-dir', help='folder for logs and checkpoints')
    parser.add_argument(
        '--resume',
        nargs='?',
        const='auto',
        help="resume from this checkpoint, or (no value) from the work dir's latest one",
    )
    parser.add_argument('--amp', action='store_true', help='mixed precision (CUDA only)')
    parser.add_argument('--no-validate', action='store_true', help='skip validation')
    parser.add_argument('--seed', type=int, help='random seed (overrides randomness.seed)')
    parser.add_argument(
        '--diff-rank-seed', action='store_true', help='a different seed on every rank'
    )
    parser.add_argument('--deterministic', action='store_true', help='deterministic kernels')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config entries, key=value (keys must exist, see docs/getting_started.md)',
    )
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'], default='none')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    return parser.parse_args()


def build_config(args: argparse.Namespace) -> Config:
    """Load the config and apply the command-line arguments to it."""
    cfg = Config.fromfile(args.config)
    apply_common_args(cfg, args.config, args.work_dir, args.cfg_options, args.launcher)
    if args.no_validate:
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None
        cfg.train_cfg.pop('val_interval', None)
    if args.amp:
        enable_amp(cfg)
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = resolve_checkpoint(args.resume, '--resume')
    if cfg.get('load_from') and not cfg.get('resume'):
        cfg.load_from = resolve_checkpoint(cfg.load_from, 'load_from')
    randomness = cfg.setdefault('randomness', {})
    if args.seed is not None:
        randomness['seed'] = args.seed
    if args.diff_rank_seed:
        randomness['diff_rank_seed'] = True
    if args.deterministic:
        randomness['deterministic'] = True
    add_guard_hooks(cfg, TRAIN_GUARD_HOOKS)
    return cfg


def main() -> None:
    args = parse_args()
    cfg = build_config(args)
    # Held until the process ends (however it ends); only the first rank takes it.
    lock = WorkDirLock(cfg.work_dir).acquire() if launcher_rank(args.launcher) == 0 else None
    init_cpu_distributed(args.launcher)
    runner = Runner.from_cfg(cfg)
    runner.train()
    if lock is not None:
        lock.release()


if __name__ == '__main__':
    main()
