"""Test each run at the checkpoint its validation top-1 chose, beside its last checkpoint.

``python tools/analysis/val_best_test.py --row NAME CONFIG ROOT [--row ...] --seeds 0 1 2``

The grid reports every row at its last checkpoint. A row whose validation top-1 peaks early
(a labeled-only model that overfits 50 clips, say) is then read where it is past its best, and
a semi-supervised gain over it could be an early-stopping gain. This tool answers that with the
same rule for every row: for each run ``ROOT/seed<S>`` it reads the validation top-1 at each
validated iteration (``acc/top1`` in the run's scalar log), takes the best one (a tie goes to
the later iteration, so the last checkpoint stays when validation cannot tell), and tests
``iter_<N>.pth`` with ``tools/test.py`` into ``ROOT/seed<S>/test_val_best/`` (cached; the last
checkpoint's own test is reused when it is the chosen one). It prints, per row, the test top-1
at the last and at the chosen checkpoint, and the seed-paired difference of every row minus
the first under both rules; ``--out`` writes every number as JSON.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from plot_curves import read_scalars  # noqa: E402
from table2_report import paired, summarise  # noqa: E402


def val_best_iteration(run: Path, key: str = 'acc/top1') -> tuple[int, dict[int, float]]:
    """The iteration with the best validation ``key`` (ties: the later one) and every value.

    Raises:
        ValueError: If the run logged no ``key`` (names the run).
    """
    series = read_scalars(run).get(key)
    if not series:
        raise ValueError(f'{run} logged no validation {key}')
    values = dict(series)
    best = max(values, key=lambda step: (values[step], step))
    return best, values


def test_top1(config: str, run: Path, iteration: int, last: int) -> float:
    """Test top-1 (%) of ``run`` at ``iteration``: its own test when that is the last one."""
    if iteration == last:
        result = run / 'test' / 'test_metrics.json'
        if not result.is_file():
            raise FileNotFoundError(f'{result} is missing: test the last checkpoint first')
    else:
        out = run / 'test_val_best'
        result = out / 'test_metrics.json'
        checkpoint = run / f'iter_{iteration}.pth'
        if not checkpoint.is_file():
            raise FileNotFoundError(
                f'{checkpoint} is missing (validation chose iteration {iteration})'
            )
        cached = json.loads(result.read_text()) if result.is_file() else {}
        if cached.get('checkpoint') != checkpoint.name:
            cmd = [sys.executable, 'tools/test.py', config, str(checkpoint), '--work-dir', str(out)]
            proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
            if proc.returncode != 0:
                raise RuntimeError(f'{" ".join(cmd)} failed:\n{proc.stderr[-2000:]}')
            metrics = json.loads(result.read_text())
            metrics['checkpoint'] = checkpoint.name
            result.write_text(json.dumps(metrics, indent=2))
    return 100 * json.loads(result.read_text())['acc/top1']


def evaluate_row(config: str, root: Path, seeds: list[int]) -> dict[int, dict]:
    """Per seed: the validation values, the chosen iteration and both test top-1 values."""
    out: dict[int, dict] = {}
    for seed in seeds:
        run = root / f'seed{seed}'
        best, values = val_best_iteration(run)
        last = max(values)
        out[seed] = {
            'val': values,
            'chosen': best,
            'last_top1': test_top1(config, run, last, last),
            'val_best_top1': test_top1(config, run, best, last),
        }
    return out


def format_diff(diff: dict) -> str:
    """``+1.23 +- 0.45 (3 of 5)`` for a :func:`table2_report.paired` result."""
    if not diff['seeds']:
        return 'no common seed'
    return f'{diff["mean"]:+.2f} +- {diff["std"]:.2f} ({diff["wins"]} of {diff["seeds"]})'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument(
        '--row',
        nargs=3,
        action='append',
        required=True,
        metavar=('NAME', 'CONFIG', 'ROOT'),
        help='a row: its name, its config and the folder of its seed<S> runs',
    )
    parser.add_argument('--seeds', type=int, nargs='+', required=True)
    parser.add_argument('--out', help='write every number here as JSON')
    args = parser.parse_args(argv)

    rows = {name: evaluate_row(config, Path(root), args.seeds) for name, config, root in args.row}
    print('| row | seed | val top-1 % by iteration | chosen | test at last | test at chosen |')
    print('|---|---|---|---|---|---|')
    for name, by_seed in rows.items():
        for seed, r in by_seed.items():
            vals = ', '.join(f'{step}: {100 * v:.0f}' for step, v in sorted(r['val'].items()))
            print(
                f'| {name} | {seed} | {vals} | {r["chosen"]} | {r["last_top1"]:.2f} | '
                f'{r["val_best_top1"]:.2f} |'
            )
    print('\n| row | test at last (mean +- std) | test at the val-chosen checkpoint |')
    print('|---|---|---|')
    for name, by_seed in rows.items():
        last = summarise([r['last_top1'] for r in by_seed.values()])
        best = summarise([r['val_best_top1'] for r in by_seed.values()])
        print(f'| {name} | {last[0]:.2f} +- {last[1]:.2f} | {best[0]:.2f} +- {best[1]:.2f} |')
    names = list(rows)
    diffs = {}
    if len(names) > 1:
        print('\n| difference (seed-paired) | at last | at the val-chosen checkpoints |')
        print('|---|---|---|')
        base = names[0]
        for name in names[1:]:
            pair = {}
            for rule in ('last_top1', 'val_best_top1'):
                a = {s: r[rule] for s, r in rows[name].items()}
                b = {s: r[rule] for s, r in rows[base].items()}
                pair[rule] = paired(a, b)
            diffs[f'{name} - {base}'] = pair
            print(
                f'| {name} - {base} | {format_diff(pair["last_top1"])} | '
                f'{format_diff(pair["val_best_top1"])} |'
            )
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps({'rows': rows, 'differences': diffs}, indent=2))
    return 0


if __name__ == '__main__':
    sys.exit(main())
