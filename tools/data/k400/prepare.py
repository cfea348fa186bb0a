"""Prepare Kinetics-400 with audio into an avssl data set folder.

``python tools/data/k400/prepare.py --root kinetics400 --out data/kinetics400``

Reads ``ROOT/annotations/{train,val}.csv``, finds each clip as ``ROOT/{train,val}/<name>``,
drops missing clips and clips without audio, writes ``test.txt`` from the validation split (what
papers test on), ``val.txt`` held out of the training split, the 1-shot (400 labels) and 5-shot
(2,000 labels) lists, ``stats.json`` and ``prepare_report.json`` (``docs/datasets.md``).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from avssl.datasets.prepare import prepare_k400
from avssl.datasets.prepare.cli_args import add_common_args, common_kwargs, run_prepare
from avssl.datasets.prepare.kinetics import DEFAULT_NAME_FORMAT


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv (Sequence[str] | None): Arguments without the program name; None = ``sys.argv``.

    Returns:
        argparse.Namespace: The options.
    """
    parser = argparse.ArgumentParser(description='Prepare Kinetics-400 with audio')
    parser.add_argument(
        '--root', required=True, help='folder with annotations/, train/ and val/ (or validate/)'
    )
    parser.add_argument(
        '--name-format',
        default=DEFAULT_NAME_FORMAT,
        help='clip file name from the CSV columns (label, youtube_id, time_start, time_end, '
        f'split); default {DEFAULT_NAME_FORMAT!r}',
    )
    parser.add_argument(
        '--num-classes', type=int, default=400, help='required number of classes (default 400)'
    )
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
        lambda: prepare_k400(
            args.root,
            name_format=args.name_format,
            num_classes=args.num_classes,
            **common_kwargs(args),
        )
    )


if __name__ == '__main__':
    raise SystemExit(main())
