"""Prepare UCF-51 (the UCF-101 classes with audio) into an avssl data set folder.

``python tools/data/ucf51/prepare.py --root UCF-101 --splits ucfTrainTestlist --out data/ucf51``

Probes every video of the chosen official split, keeps the classes where more than half of the
videos carry audio, drops silent or unreadable clips, and writes ``classes.txt``, ``train.txt``,
``val.txt``, ``test.txt``, the 1-shot / 5-shot lists, ``stats.json`` and
``prepare_report.json`` (``docs/datasets.md``).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from avssl.datasets.prepare import prepare_ucf51
from avssl.datasets.prepare.cli_args import add_common_args, common_kwargs, run_prepare


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv (Sequence[str] | None): Arguments without the program name; None = ``sys.argv``.

    Returns:
        argparse.Namespace: The options.
    """
    parser = argparse.ArgumentParser(description='Prepare UCF-51 from UCF-101')
    parser.add_argument('--root', required=True, help='UCF-101/ (the class folders) or its parent')
    parser.add_argument(
        '--splits', required=True, help='ucfTrainTestlist/ (classInd.txt, trainlist01.txt, ...)'
    )
    parser.add_argument('--split', type=int, default=1, choices=[1, 2, 3], help='official split')
    add_common_args(parser)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Prepare the folder and print a summary.

    Args:
        argv (Sequence[str] | None): Arguments without the program name; None = ``sys.argv``.

    Returns:
        int: Exit status: 0, or 1 after an error message.
    """
    args = parse_args(argv)
    return run_prepare(
        lambda: prepare_ucf51(args.root, args.splits, split=args.split, **common_kwargs(args))
    )


if __name__ == '__main__':
    raise SystemExit(main())
