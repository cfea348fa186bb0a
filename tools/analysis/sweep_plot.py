"""One hyper-parameter sweep of a grid as a line plot and a table (the paper's Fig. 4 and 5).

``python tools/analysis/sweep_plot.py --work-root work_dirs/table2 --xlabel tau
--points 0.1=CONFIG_A 0.3=CONFIG_B ... [--out sweep.png] [--json sweep.json]``

Several curves on one plot (the paper's Fig. 4 draws FlexMatch beside a fixed threshold): give
``--points`` once per curve and ``--labels`` with a name for each; a further table then gives
each curve's seed-paired difference from the first at every x value both ran. ``--seeds``
keeps only those seeds, so points with more seeds do not move a mean.

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
from table2_report import paired, read_row, summarise  # noqa: E402


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


def curve_table(
    label: str | None, xlabel: str, points: list[tuple[str, str]], rows: dict[str, dict]
) -> tuple[list[str], list[float], list[float]]:
    """Print one curve's table and verdict; return its finished x values, means and stds."""
    if label:
        print(f'\n**{label}**\n')
    print(f'| {xlabel} | config | seeds | test top-1 % (mean +- std) | per seed |')
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
    if len(means) < 2:
        print(f'\n{len(means)} point(s) run: no sweep to judge')
    else:
        spread = max(means) - min(means)
        print(
            f'\nspread of the means {spread:.2f} points, largest seed std {max(stds):.2f}: '
            + (
                'degenerate (no trend beyond the seed noise)'
                if degenerate(means, stds)
                else 'not degenerate'
            )
        )
    return done, means, stds


def paired_table(
    xlabel: str, labels: list[str], curves: list[dict[str, dict[int, float]]]
) -> dict[str, dict[str, dict]]:
    """Seed-paired ``curve k - curve 1`` at every x value both ran; printed and returned."""
    out: dict[str, dict[str, dict]] = {}
    print(f'\n| {xlabel} | curve - {labels[0]} | seeds | mean +- std | ahead in |')
    print('|---|---|---|---|---|')
    for label, rows in zip(labels[1:], curves[1:], strict=True):
        out[label] = {}
        for value, seeds in rows.items():
            diff = paired(seeds, curves[0].get(value, {}))
            if not diff['seeds']:
                continue
            out[label][value] = diff
            print(
                f'| {value} | {label} | {diff["seeds"]} | {diff["mean"]:+.2f} +- '
                f'{diff["std"]:.2f} | {diff["wins"]} of {diff["seeds"]} |'
            )
    return out


def x_order(finished: list[list[str]]) -> list[str]:
    """The x values some curve finished, numerically sorted when all are numbers."""
    values = list(dict.fromkeys(v for done in finished for v in done))
    try:
        return sorted(values, key=float)
    except ValueError:
        return values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--work-root', required=True)
    parser.add_argument(
        '--points',
        nargs='+',
        required=True,
        action='append',
        help='VALUE=CONFIG, in x order; give --points again for each further curve',
    )
    parser.add_argument('--labels', nargs='+', help='one name per curve (needed for several)')
    parser.add_argument('--seeds', nargs='+', type=int, help='only these seeds (default: all)')
    parser.add_argument('--xlabel', required=True)
    parser.add_argument('--title', default='SynthAV test top-1 (teacher)')
    parser.add_argument('--out', help='PNG to write')
    parser.add_argument('--json', help='write every number here')
    parser.add_argument('--ledger', help='results_ledger.py file: cells without a work dir')
    args = parser.parse_args(argv)
    curves = [parse_points(items) for items in args.points]
    if (len(curves) > 1 or args.labels) and len(args.labels or []) != len(curves):
        parser.error(
            f'--points is given {len(curves)} time(s), so --labels needs {len(curves)} '
            f'name(s), got {len(args.labels or [])}'
        )
    labels = args.labels or [None]
    ledger = load_ledger(args.ledger) if args.ledger else None
    seeds = set(args.seeds) if args.seeds else None
    rows = [
        {v: read_row(Path(args.work_root), c, ledger=ledger, seeds=seeds) for v, c in points}
        for points in curves
    ]
    tables = [
        curve_table(label, args.xlabel, points, r)
        for label, points, r in zip(labels, curves, rows, strict=True)
    ]
    pairs = paired_table(args.xlabel, labels, rows) if len(curves) > 1 else {}
    if args.out and any(len(done) > 1 for done, _, _ in tables):
        order = x_order([done for done, _, _ in tables])
        fig, ax = plt.subplots(figsize=(4.2, 3.2))
        colours = ['#29506d', '#b5472d', '#4a8a4a', '#7a4a8a']
        for k, (done, means, stds) in enumerate(tables):
            xs = [order.index(v) + 0.06 * k for v in done]
            colour = colours[k % len(colours)]
            ax.errorbar(xs, means, yerr=stds, marker='o', capsize=4, color=colour, label=labels[k])
            for x, value in zip(xs, done, strict=True):
                dots = list(rows[k][value].values())
                ax.scatter([x] * len(dots), dots, s=10, color='#222222', zorder=3)
        ax.set_xticks(list(range(len(order))))
        ax.set_xticklabels(order)
        ax.set_xlabel(args.xlabel)
        ax.set_ylabel('test top-1 (%)')
        ax.set_title(args.title, fontsize=9)
        ax.grid(alpha=0.3)
        if len(curves) > 1:
            ax.legend(fontsize=7)
        fig.tight_layout()
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(args.out, dpi=110)
        plt.close(fig)
        print(f'wrote {args.out}')
    if args.json:
        summaries = [
            {
                'points': {
                    value: {'config': config, 'seeds': r[value]}
                    | (
                        dict(zip(('mean', 'std'), summarise(list(r[value].values())), strict=True))
                        if r[value]
                        else {}
                    )
                    for value, config in points
                },
                'degenerate': degenerate(means, stds) if len(means) > 1 else None,
            }
            for points, r, (_, means, stds) in zip(curves, rows, tables, strict=True)
        ]
        result: dict = {'xlabel': args.xlabel} | summaries[0]
        if len(curves) > 1:
            result['curves'] = dict(zip(labels, summaries, strict=True))
            result['paired'] = pairs
        Path(args.json).write_text(json.dumps(result, indent=2) + '\n')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
