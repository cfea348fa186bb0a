"""One hyper-parameter sweep of a grid as a line plot and a table (the paper's Fig. 4 and 5).

``python tools/analysis/sweep_plot.py --work-root work_dirs/table2 --xlabel tau
--points 0.1=CONFIG_A 0.3=CONFIG_B ... [--out sweep.png] [--json sweep.json]``

Each point is a value of the swept setting and the config trained with it (the work dirs
``<work-root>/<config>/seed<S>`` that ``tools/experiments/run_grid.py`` writes). For every
point the test top-1 of each finished seed is read (``test/test_metrics.json``, ``acc/top1``;
with ``--ledger``, also from the committed results ledger) and the table prints the mean, the
sample std and the seeds; the plot draws the mean with sample-std error bars and every seed as
a dot. Points with no finished seed are listed as not
run and left out of the plot. A sweep is *degenerate* when every point's mean is the same to
within the largest seed std: the table says so.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results_ledger import load as load_ledger  # noqa: E402
from table2_report import read_row, summarise  # noqa: E402


def parse_points(items: list[str]) -> list[tuple[str, str]]:
    """``['0.1=cfg', ...]`` -> ``[('0.1', 'cfg'), ...]``; a malformed item raises ValueError."""
    points = []
    for item in items:
        value, sep, config = item.partition('=')
        if not sep or not value or not config:
            raise ValueError(f'--points items are VALUE=CONFIG, got {item!r}')
        points.append((value, config))
    return points


def degenerate(means: list[float], stds: list[float]) -> bool:
    """True when all means lie within the largest std of each other (no visible trend)."""
    return len(means) > 1 and max(means) - min(means) <= max(stds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--work-root', required=True)
    parser.add_argument('--points', nargs='+', required=True, help='VALUE=CONFIG, in x order')
    parser.add_argument('--xlabel', required=True)
    parser.add_argument('--title', default='SynthAV test top-1 (teacher)')
    parser.add_argument('--out', help='PNG to write')
    parser.add_argument('--json', help='write every number here')
    parser.add_argument('--ledger', help='results_ledger.py file: cells without a work dir')
    args = parser.parse_args(argv)
    points = parse_points(args.points)
    ledger = load_ledger(args.ledger) if args.ledger else None
    rows = {value: read_row(Path(args.work_root), c, ledger=ledger) for value, c in points}
    print(f'| {args.xlabel} | config | seeds | test top-1 % (mean +- std) | per seed |')
    print('|---|---|---|---|---|')
    done, means, stds = [], [], []
    for value, config in points:
        seeds = rows[value]
        if not seeds:
            print(f'| {value} | `{config}.py` | 0 | not run | - |')
            continue
        mean, std = summarise(list(seeds.values()))
        done.append(value)
        means.append(mean)
        stds.append(std)
        per = ', '.join(f'{s}: {v:.2f}' for s, v in sorted(seeds.items()))
        print(f'| {value} | `{config}.py` | {len(seeds)} | {mean:.2f} +- {std:.2f} | {per} |')
    flat = degenerate(means, stds)
    if len(means) < 2:
        print(f'\n{len(means)} point(s) run: no sweep to judge, no plot')
    else:
        spread = max(means) - min(means)
        print(
            f'\nspread of the means {spread:.2f} points, largest seed std {max(stds):.2f}: '
            + ('degenerate (no trend beyond the seed noise)' if flat else 'not degenerate')
        )
    if args.out and len(done) > 1:
        fig, ax = plt.subplots(figsize=(4.2, 3.2))
        xs = range(len(done))
        ax.errorbar(xs, means, yerr=stds, marker='o', capsize=4, color='#29506d')
        for i, value in enumerate(done):
            seeds = list(rows[value].values())
            ax.scatter([i] * len(seeds), seeds, s=10, color='#222222', zorder=3)
        ax.set_xticks(list(xs))
        ax.set_xticklabels(done)
        ax.set_xlabel(args.xlabel)
        ax.set_ylabel('test top-1 (%)')
        ax.set_title(args.title, fontsize=9)
        ax.grid(alpha=0.3)
        fig.tight_layout()
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(args.out, dpi=110)
        plt.close(fig)
        print(f'wrote {args.out}')
    if args.json:
        summary = {
            value: {'config': config, 'seeds': rows[value]}
            | (
                dict(zip(('mean', 'std'), summarise(list(rows[value].values())), strict=True))
                if rows[value]
                else {}
            )
            for value, config in points
        }
        Path(args.json).write_text(
            json.dumps(
                {
                    'xlabel': args.xlabel,
                    'points': summary,
                    'degenerate': flat if len(means) > 1 else None,
                },
                indent=2,
            )
            + '\n'
        )
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
