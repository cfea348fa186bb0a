"""Train and test configs over seeds, then print a results table (mean and std of top-1).

``python tools/experiments/run_grid.py --configs A.py B.py --seeds 0 1 2 --out results.json``

Each (config, seed) pair trains with ``tools/train.py --seed S`` in its own work dir
``<work-root>/<config name>/seed<S>``, is tested on its last checkpoint with ``tools/test.py``
(the test metrics land in ``test_metrics.json``), and finished pairs are skipped when the script
is rerun, so an interrupted grid resumes. The table is printed as markdown and all numbers are
written to ``--out`` as JSON.
"""

from __future__ import annotations

import argparse
import json
import os.path as osp
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train and test configs over seeds')
    parser.add_argument('--configs', nargs='+', required=True)
    parser.add_argument('--seeds', type=int, nargs='+', default=[0])
    parser.add_argument('--work-root', default='work_dirs/grid')
    parser.add_argument('--out', help='write every number here as JSON')
    parser.add_argument('--cfg-options', nargs='+', default=[], help='passed to both tools')
    return parser.parse_args()


def run(cmd: list[str], log: Path) -> float:
    """Run ``cmd`` from the repository root, output to ``log``; return wall seconds."""
    start = time.perf_counter()
    with open(log, 'w', encoding='utf-8') as f:
        proc = subprocess.run(cmd, cwd=ROOT, stdout=f, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        raise RuntimeError(f'{" ".join(cmd)} failed (exit {proc.returncode}); see {log}')
    return time.perf_counter() - start


def train_and_test(config: str, seed: int, work_root: str, options: list[str]) -> dict:
    """One grid cell: train, test the last checkpoint, return its metrics and timings."""
    name = osp.splitext(osp.basename(config))[0]
    work = ROOT / work_root / name / f'seed{seed}'
    result_file = work / 'test' / 'test_metrics.json'
    if result_file.is_file():
        return json.loads(result_file.read_text())
    work.mkdir(parents=True, exist_ok=True)
    extra = ['--cfg-options', *options] if options else []
    train_s = run(
        [sys.executable, 'tools/train.py', config, '--work-dir', str(work), '--seed', str(seed)]
        + extra,
        work / 'train_stdout.log',
    )
    test_s = run(
        [sys.executable, 'tools/test.py', config, str(work), '--work-dir', str(work / 'test')]
        + extra,
        work / 'test_stdout.log',
    )
    metrics = json.loads(result_file.read_text())
    metrics.update(train_seconds=round(train_s, 1), test_seconds=round(test_s, 1))
    result_file.write_text(json.dumps(metrics, indent=2))
    return metrics


def main() -> None:
    args = parse_args()
    results: dict[str, dict[int, dict]] = {}
    for seed in args.seeds:  # seed-major: every config gets a first number early
        for config in args.configs:
            metrics = train_and_test(config, seed, args.work_root, args.cfg_options)
            results.setdefault(config, {})[seed] = metrics
            print(f'{config} seed {seed}: top1 {100 * metrics["acc/top1"]:.2f}', flush=True)
    print('\n| config | seeds | top-1 % (mean +- std) | per seed | train s (mean) |')
    print('|---|---|---|---|---|')
    for config, by_seed in results.items():
        top1 = [100 * m['acc/top1'] for m in by_seed.values()]
        std = statistics.stdev(top1) if len(top1) > 1 else 0.0
        train_s = [m.get('train_seconds', float('nan')) for m in by_seed.values()]
        print(
            f'| {osp.basename(config)} | {len(top1)} | {statistics.mean(top1):.2f} +- {std:.2f} | '
            f'{", ".join(f"{t:.2f}" for t in top1)} | {statistics.mean(train_s):.0f} |'
        )
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(results, indent=2))


if __name__ == '__main__':
    main()
