"""Table-2 style report of a grid: mean, spread, seed-paired differences and a bar chart.

``python tools/analysis/table2_report.py --work-root work_dirs/table2 --rows ROWS.json
[--pairs A:B ...] [--chart table2.png]``

``ROWS.json`` maps a row name to a config name (the work dir ``<work-root>/<config>/seed<S>``
that ``tools/experiments/run_grid.py`` writes). For every row the test top-1 of each finished
seed is read from ``test/test_metrics.json`` (``acc/top1``: the reported model, the EMA teacher
in the semi-supervised protocol); ``--ledger`` adds the cells recorded in the committed ledger
(``results_ledger.py``) that have no work dir here. ``--pairs A:B`` adds the seed-paired
difference A - B over the seeds both rows have: mean, sample std, and in how many seeds A is
ahead. ``--seeds S ...`` reads only those seeds (a budget's protocol seeds, or a set of fresh
seeds reported apart).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results_ledger import load as load_ledger  # noqa: E402


def read_row(
    work_root: Path,
    config: str,
    metric: str = 'acc/top1',
    ledger: dict | None = None,
    seeds: set[int] | None = None,
) -> dict[int, float]:
    """``seed -> top-1 %`` of the finished seeds of one config.

    ``ledger`` (``results_ledger.load``) adds the seeds recorded there, so the tables rebuild
    without the work dirs; a seed in both must agree, or a ``ValueError`` names the cell.
    ``seeds`` keeps only those seeds (all when ``None``).
    """
    found = {}
    if ledger and metric == 'acc/top1':
        found = {seed: float(r['top1']) for (name, seed), r in ledger.items() if name == config}
    for result in sorted((work_root / config).glob('seed*/test/test_metrics.json')):
        seed = int(result.parent.parent.name[len('seed') :])
        value = 100.0 * float(json.loads(result.read_text())[metric])
        if seed in found and abs(found[seed] - value) > 1e-6:
            raise ValueError(
                f'{result} gives {value:.2f} and the ledger {found[seed]:.2f} for {config} seed '
                f'{seed}: run tools/analysis/results_ledger.py collect if the work dir is newer'
            )
        found[seed] = value
    if seeds is not None:
        found = {seed: value for seed, value in found.items() if seed in seeds}
    return dict(sorted(found.items()))


def summarise(values: list[float]) -> tuple[float, float]:
    """Mean and sample std (0 for one value)."""
    return statistics.mean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def paired(a: dict[int, float], b: dict[int, float]) -> dict[str, float]:
    """Seed-paired difference ``a - b`` over the common seeds."""
    seeds = sorted(set(a) & set(b))
    diffs = [a[s] - b[s] for s in seeds]
    if not diffs:
        return {'seeds': 0}
    mean, std = summarise(diffs)
    return {
        'seeds': len(seeds),
        'mean': mean,
        'std': std,
        'wins': sum(d > 0 for d in diffs),
        'ties': sum(d == 0 for d in diffs),
        'diffs': diffs,
    }


def chart(rows: dict[str, dict[int, float]], out: str | Path, title: str) -> None:
    """Bar chart of the row means with sample-std error bars and the seeds as dots."""
    names = [n for n, v in rows.items() if v]
    means = [summarise(list(rows[n].values()))[0] for n in names]
    stds = [summarise(list(rows[n].values()))[1] for n in names]
    fig, ax = plt.subplots(figsize=(max(5.0, 1.0 + 0.9 * len(names)), 3.6))
    ax.bar(range(len(names)), means, yerr=stds, capsize=4, color='#7aa6c2', edgecolor='#29506d')
    for i, n in enumerate(names):
        values = list(rows[n].values())
        ax.scatter([i] * len(values), values, s=10, color='#222222', zorder=3)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=35, ha='right', fontsize=8)
    ax.set_ylabel('test top-1 (%)')
    ax.set_title('\n'.join(textwrap.wrap(title, 60)), fontsize=9)
    ax.grid(axis='y', alpha=0.3)
    fig.tight_layout()
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--work-root', required=True)
    parser.add_argument('--rows', required=True, help='JSON file: row name -> config name')
    parser.add_argument('--pairs', nargs='*', default=[], help='ROW_A:ROW_B seed-paired diffs')
    parser.add_argument('--chart', help='PNG bar chart to write')
    parser.add_argument('--title', default='SynthAV test top-1 (teacher), mean +- std over seeds')
    parser.add_argument('--json', help='write every number here')
    parser.add_argument('--ledger', help='results_ledger.py file: cells without a work dir')
    parser.add_argument('--seeds', type=int, nargs='+', help='read only these seeds (default: all)')
    args = parser.parse_args(argv)
    spec = json.loads(Path(args.rows).read_text())
    ledger = load_ledger(args.ledger) if args.ledger else None
    seeds = set(args.seeds) if args.seeds else None
    rows = {
        name: read_row(Path(args.work_root), c, ledger=ledger, seeds=seeds)
        for name, c in spec.items()
    }
    print('| row | config | seeds | test top-1 % (mean +- std) | per seed (seed: top-1) |')
    print('|---|---|---|---|---|')
    for name, values in rows.items():
        if not values:
            print(f'| {name} | `{spec[name]}.py` | 0 | not run | - |')
            continue
        mean, std = summarise(list(values.values()))
        per = ', '.join(f'{s}: {v:.2f}' for s, v in sorted(values.items()))
        print(f'| {name} | `{spec[name]}.py` | {len(values)} | {mean:.2f} +- {std:.2f} | {per} |')
    pairs = {}
    if args.pairs:
        print('\n| difference (seed-paired) | seeds | mean +- std (points) | A ahead in |')
        print('|---|---|---|---|')
    for pair in args.pairs:
        a, b = pair.split(':')
        result = paired(rows[a], rows[b])
        pairs[pair] = result
        if result['seeds']:
            print(
                f'| {a} - {b} | {result["seeds"]} | {result["mean"]:+.2f} +- {result["std"]:.2f} '
                f'| {result["wins"]} of {result["seeds"]} |'
            )
        else:
            print(f'| {a} - {b} | 0 | - | - |')
    if args.chart:
        chart(rows, args.chart, args.title)
        print(f'\nwrote {args.chart}')
    if args.json:
        Path(args.json).write_text(json.dumps({'rows': rows, 'pairs': pairs}, indent=2) + '\n')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
