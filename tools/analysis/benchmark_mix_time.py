"""Wall time of one training step of the tube and the ASL-guided configs, interleaved.

``python tools/analysis/benchmark_mix_time.py [--configs A B ...] [--iters N] [--warmup W]
[--batch-size B]``

Builds every config's model (CPU, random weights: no localizer checkpoint needed) and optimizer,
then times ``model.train_step`` (preprocessor, forward, backward, optimizer step) on a synthetic
batch shaped as the config's (default: 2 labeled + 10 unlabeled clips, 8 x 112 x 112), in turns
A, B, C, A, B, C, ... so that the machine's load hits all configs alike. Prints median, mean and
minimum ms per step, the time inside the localizer and the mixer, and the ASL / tube ratios.
Thread count: ``OMP_NUM_THREADS`` / ``torch.set_num_threads`` (printed).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import torch
from mmengine.config import DictAction

from avssl.analysis.step_timing import build_runner, load_configs, run_interleaved, timing_table
from avssl.utils import register_all_modules

DEFAULT_CONFIGS = (
    'configs/avssl_tiny_synthav_1shot_tube.py',
    'configs/avssl_tiny_synthav_1shot.py',
    'configs/avssl_tiny_synthav_1shot_tube_contrast.py',
)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv (Sequence[str] | None): Arguments without the program name; None = ``sys.argv``.

    Returns:
        argparse.Namespace: ``configs``, ``iters``, ``warmup``, ``batch_size``, ``seed``,
        ``cfg_options``.
    """
    parser = argparse.ArgumentParser(description='Time training steps of tube vs ASL configs')
    parser.add_argument('--configs', nargs='+', default=list(DEFAULT_CONFIGS))
    parser.add_argument('--iters', type=int, default=20, help='timed steps per config')
    parser.add_argument('--warmup', type=int, default=2, help='untimed steps per config first')
    parser.add_argument(
        '--batch-size',
        type=int,
        default=None,
        help="clips per batch, split labeled : unlabeled as the config's sampler (default: "
        "the config's, 12 = 2 + 10)",
    )
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, help='applied to all')
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Build, time and print.

    Args:
        argv (Sequence[str] | None): Arguments without the program name; None = ``sys.argv``.

    Returns:
        int: Exit status (0).
    """
    args = parse_args(argv)
    if args.batch_size is not None and args.batch_size < 2:
        raise SystemExit('--batch-size must be >= 2 (one labeled and one unlabeled clip)')
    register_all_modules(init_scope=True)
    runners = [
        build_runner(cfg, name, args.batch_size, args.seed)
        for name, cfg in load_configs(args.configs, args.cfg_options)
    ]
    for runner in runners:
        labeled = sum(1 for item in runner.batch['inputs'] if 'labeled' in item)
        unlabeled = len(runner.batch['inputs']) - labeled
        print(f'{runner.name}: {labeled} labeled + {unlabeled} unlabeled clips per step')
    print(
        f'threads: {torch.get_num_threads()}; warm-up {args.warmup}, timed {args.iters} '
        'steps per config, interleaved; random weights'
    )
    run_interleaved(runners, args.iters, args.warmup)
    print(timing_table(runners))
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
