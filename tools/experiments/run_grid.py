"""Train and test configs over seeds, then print a results table (mean and std of top-1).

``python tools/experiments/run_grid.py --configs A.py B.py --seeds 0 1 2 --out results.json``

``--jobs 2`` runs two cells at a time, each with ``OMP_NUM_THREADS`` = cores / jobs (two
one-thread runs use two CPU cores better than one two-thread run of these tiny models).

Each (config, seed) pair trains with ``tools/train.py --seed S`` in its own work dir
``<work-root>/<config name>/seed<S>``, is tested on its last checkpoint with ``tools/test.py``
(the test metrics land in ``test_metrics.json``), and finished pairs are skipped when the script
is rerun, so an interrupted grid resumes. ``--ledger FILE`` records each tested cell in the
committed results ledger (``tools/analysis/results_ledger.py``). The table is printed as
markdown and all numbers are written to ``--out`` as JSON.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import os.path as osp
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tools' / 'analysis'))
from results_ledger import record_cell  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train and test configs over seeds')
    parser.add_argument('--configs', nargs='+', required=True)
    parser.add_argument('--seeds', type=int, nargs='+', default=[0])
    parser.add_argument('--work-root', default='work_dirs/grid')
    parser.add_argument('--out', help='write every number here as JSON')
    parser.add_argument('--cfg-options', nargs='+', default=[], help='passed to both tools')
    parser.add_argument('--jobs', type=int, default=1, help='cells run at the same time')
    parser.add_argument(
        '--ledger',
        help='record each tested cell in this results ledger (tools/analysis/results_ledger.py)',
    )
    parser.add_argument(
        '--no-test',
        action='store_true',
        help='train only (selection runs read their validation scalars instead)',
    )
    return parser.parse_args()


#: Environment of the child processes (``--jobs`` sets their thread count).
CHILD_ENV: dict[str, str] = dict(os.environ)


def run(cmd: list[str], log: Path) -> float:
    """Run ``cmd`` from the repository root, output to ``log``; return wall seconds."""
    start = time.perf_counter()
    with open(log, 'w', encoding='utf-8') as f:
        proc = subprocess.run(cmd, cwd=ROOT, stdout=f, stderr=subprocess.STDOUT, env=CHILD_ENV)
    if proc.returncode != 0:
        raise RuntimeError(f'{" ".join(cmd)} failed (exit {proc.returncode}); see {log}')
    return time.perf_counter() - start


def train_and_test(
    config: str, seed: int, work_root: str, options: list[str], test: bool = True
) -> dict:
    """One grid cell: train, test the last checkpoint, return its metrics and timings."""
    name = osp.splitext(osp.basename(config))[0]
    work = ROOT / work_root / name / f'seed{seed}'
    result_file = work / 'test' / 'test_metrics.json'
    if result_file.is_file():
        return json.loads(result_file.read_text())
    trained = work / 'train_seconds.json'
    work.mkdir(parents=True, exist_ok=True)
    extra = ['--cfg-options', *options] if options else []
    if trained.is_file():
        train_s = json.loads(trained.read_text())['train_seconds']
    else:
        train_s = run(
            [sys.executable, 'tools/train.py', config, '--work-dir', str(work), '--seed', str(seed)]
            + extra,
            work / 'train_stdout.log',
        )
        trained.write_text(json.dumps({'train_seconds': round(train_s, 1)}))
    if not test:
        return {'acc/top1': float('nan'), 'train_seconds': round(train_s, 1)}
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
    if args.jobs > 1:
        threads = max(1, (os.cpu_count() or 1) // args.jobs)
        CHILD_ENV.update(OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    # seed-major: every config gets a first number early
    cells = [(config, seed) for seed in args.seeds for config in args.configs]

    ledger_lock = threading.Lock()

    def one(cell: tuple[str, int]) -> tuple[str, int, dict]:
        config, seed = cell
        metrics = train_and_test(
            config, seed, args.work_root, args.cfg_options, test=not args.no_test
        )
        if args.ledger and not args.no_test:
            with ledger_lock:
                record_cell(args.ledger, osp.splitext(osp.basename(config))[0], seed, metrics)
        return config, seed, metrics

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for config, seed, metrics in pool.map(one, cells):
            results.setdefault(config, {})[seed] = metrics
            print(f'{config} seed {seed}: top1 {100 * metrics["acc/top1"]:.2f}', flush=True)
    print('\n| config | seeds | top-1 % (mean +- std) | per seed | train s (mean) |')
    print('|---|---|---|---|---|')
    for config, by_seed in results.items():
        top1 = [100 * m['acc/top1'] for m in by_seed.values()]
        if any(math.isnan(t) for t in top1):  # --no-test: trained, not tested
            print(f'| {osp.basename(config)} | {len(top1)} | not tested | - | - |')
            continue
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
