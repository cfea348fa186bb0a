"""Compare hyper-parameter settings on the VALIDATION split (never the test split).

``python tools/analysis/val_selection.py SELECT_ROOT``

``SELECT_ROOT/<setting>/<config>/seed<S>/`` are training runs (``run_grid.py --no-test``). For
each run the validation top-1 of the reported model (``acc/top1``) at the last validation is
read from its scalar log; a setting's score is the mean over its runs, and the best setting is
printed last. When several settings share the best mean (to the hundredth of a point), the
last line names them as a tie instead: a tie chooses nothing, so the protocol keeps what it
had (the alphabetical order of the settings' names must not decide).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from plot_curves import read_scalars  # noqa: E402


def last_val(run: Path, key: str = 'acc/top1') -> tuple[int, float]:
    """``(iteration, value)`` of the last logged validation ``key`` of a run."""
    series = read_scalars(run).get(key)
    if not series:
        raise ValueError(f'{run} logged no {key}')
    return series[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('root', help='folder of settings, each a run_grid work root')
    args = parser.parse_args(argv)
    scores: dict[str, list[float]] = {}
    print('| setting | config | seed | iteration | val top-1 % |')
    print('|---|---|---|---|---|')
    for setting in sorted(p for p in Path(args.root).iterdir() if p.is_dir()):
        for run in sorted(setting.glob('*/seed*')):
            step, value = last_val(run)
            scores.setdefault(setting.name, []).append(100 * value)
            print(
                f'| {setting.name} | {run.parent.name} | {run.name[4:]} | {step} | '
                f'{100 * value:.2f} |'
            )
    print('\n| setting | runs | mean val top-1 % |')
    print('|---|---|---|')
    for name, values in scores.items():
        print(f'| {name} | {len(values)} | {statistics.mean(values):.2f} |')
    means = {name: round(statistics.mean(values), 2) for name, values in scores.items()}
    top = max(means.values())
    best = [name for name, mean in means.items() if mean == top]
    if len(best) > 1:
        print(f'\ntie on val ({top:.2f}): {", ".join(best)}; nothing is chosen')
    else:
        print(f'\nbest on val: {best[0]}')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
