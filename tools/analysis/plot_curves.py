"""Plot training curves from mmengine's scalar logs (``vis_data/scalars.json``).

``python tools/analysis/plot_curves.py RUN_DIR [RUN_DIR ...] --out curves.png [--labels ...]``

Each RUN_DIR is a work dir (its newest ``<timestamp>/vis_data/scalars.json`` is read) or a
``scalars.json`` file. One panel per quantity, one line per run: validation top-1 of the
reported model (``acc/top1``), the pseudo-label accuracy on the unlabeled batches
(``pseudo_acc``), the share of unlabeled clips whose pseudo-label passes its threshold
(``pass_rate``), the class thresholds (``threshold_mean`` with the min-max band) and the
training loss. A panel whose quantity no run logged is left out.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

#: (title, key, band keys or None), in panel order.
PANELS: tuple[tuple[str, str, tuple[str, str] | None], ...] = (
    ('val top-1 (reported model)', 'acc/top1', None),
    ('pseudo-label accuracy', 'pseudo_acc', None),
    ('pass rate', 'pass_rate', None),
    (
        'class threshold (mean, min-max band)',
        'threshold_mean',
        ('threshold_min', 'threshold_max'),
    ),
    ('training loss', 'loss', None),
)


def find_scalars(path: str | Path) -> Path:
    """The ``scalars.json`` of a run: the file itself or the newest one under a work dir.

    Raises:
        FileNotFoundError: If there is none (names the path).
    """
    path = Path(path)
    if path.is_file():
        return path
    found = sorted(path.glob('*/vis_data/scalars.json'))
    if not found:
        raise FileNotFoundError(f'no <timestamp>/vis_data/scalars.json under {path}')
    return found[-1]


def read_scalars(path: str | Path) -> dict[str, list[tuple[int, float]]]:
    """Read a ``scalars.json`` (one JSON object per line) into ``key -> [(step, value)]``.

    Validation records carry step 0 in iteration-based runs; they get the iteration of the last
    training record before them.
    """
    series: dict[str, list[tuple[int, float]]] = defaultdict(list)
    last_train = 0
    with open(find_scalars(path), encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            record = json.loads(line)
            step = int(record.get('step', record.get('iter', 0)))
            if 'lr' in record:
                last_train = step
            elif step == 0:
                # mmengine logs the validation of an iteration-based run with step 0: place it
                # at the training iteration it followed
                step = last_train
            for key, value in record.items():
                if key in ('step', 'iter', 'epoch') or not isinstance(value, int | float):
                    continue
                series[key].append((step, float(value)))
    return dict(series)


def plot_runs(runs: dict[str, dict[str, list[tuple[int, float]]]], out: str | Path) -> list[str]:
    """Draw the panels for ``label -> series`` into ``out``; return the panel titles drawn."""
    panels = [p for p in PANELS if any(p[1] in series for series in runs.values())]
    if not panels:
        raise ValueError('none of the runs logged any of: ' + ', '.join(p[1] for p in PANELS))
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 3.4), squeeze=False)
    colours = {label: f'C{i % 10}' for i, label in enumerate(runs)}  # one colour per run
    for ax, (title, key, band) in zip(axes[0], panels, strict=True):
        for label, series in runs.items():
            if key not in series:
                continue
            steps, values = zip(*series[key], strict=True)
            (line,) = ax.plot(steps, values, label=label, linewidth=1.2, color=colours[label])
            if band and all(b in series for b in band):
                low, high = (dict(series[b]) for b in band)
                common = [s for s in steps if s in low and s in high]
                ax.fill_between(
                    common,
                    [low[s] for s in common],
                    [high[s] for s in common],
                    color=line.get_color(),
                    alpha=0.15,
                )
        ax.set_title(title, fontsize=9)
        ax.set_xlabel('iteration', fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    handles = [plt.Line2D([], [], color=c, label=label) for label, c in colours.items()]
    axes[0][0].legend(handles=handles, fontsize=7)
    fig.tight_layout()
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return [p[0] for p in panels]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('runs', nargs='+', help='work dirs or scalars.json files')
    parser.add_argument('--labels', nargs='+', help='one legend label per run')
    parser.add_argument('--out', required=True, help='PNG to write')
    args = parser.parse_args(argv)
    labels = args.labels or [Path(r).parent.name + '/' + Path(r).name for r in args.runs]
    if len(labels) != len(args.runs):
        parser.error(f'{len(labels)} labels for {len(args.runs)} runs')
    runs = {label: read_scalars(run) for label, run in zip(labels, args.runs, strict=True)}
    drawn = plot_runs(runs, args.out)
    print(f'wrote {args.out}: {", ".join(drawn)}')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
