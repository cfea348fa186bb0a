"""Means of logged training diagnostics per phase of the schedule, over runs.

``python tools/analysis/phase_means.py RUN_DIR [RUN_DIR ...] --bounds 0 50 100 250 400
[--keys pseudo_acc pass_rate teacher_conf contrast_acc]``

Each RUN_DIR is a work dir or a ``scalars.json`` (as for ``plot_curves.py``). For every phase
``[b_i, b_{i+1})`` of the training iterations the logged values of each key are averaged within
a run, then over the runs (the numbers behind the "why" paragraphs of docs/reproduction.md).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from plot_curves import read_scalars  # noqa: E402

DEFAULT_KEYS = ('pseudo_acc', 'pass_rate', 'teacher_conf', 'threshold_mean', 'contrast_acc')


def phase_means(
    runs: list[dict[str, list[tuple[int, float]]]], key: str, bounds: list[int]
) -> list[float | None]:
    """Mean of ``key`` per phase: within each run first, then over the runs that logged it."""
    out: list[float | None] = []
    for low, high in zip(bounds[:-1], bounds[1:], strict=True):
        per_run = []
        for series in runs:
            values = [v for step, v in series.get(key, []) if low < step <= high]
            if values:
                per_run.append(statistics.mean(values))
        out.append(statistics.mean(per_run) if per_run else None)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('runs', nargs='+')
    parser.add_argument('--bounds', type=int, nargs='+', default=[0, 50, 100, 250, 400])
    parser.add_argument('--keys', nargs='+', default=list(DEFAULT_KEYS))
    args = parser.parse_args(argv)
    runs = [read_scalars(r) for r in args.runs]
    phases = [f'{a}-{b}' for a, b in zip(args.bounds[:-1], args.bounds[1:], strict=True)]
    print(f'{len(runs)} run(s); iterations (low, high]')
    print('| key | ' + ' | '.join(phases) + ' |')
    print('|---|' + '---|' * len(phases))
    for key in args.keys:
        means = phase_means(runs, key, args.bounds)
        cells = ['-' if m is None else f'{m:.3f}' for m in means]
        print(f'| {key} | ' + ' | '.join(cells) + ' |')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
