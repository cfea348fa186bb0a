"""Prepare VGGSound into an avssl data set folder.

``python tools/data/vggsound/prepare.py --csv vggsound.csv --videos VIDEOS --out data/vggsound``

Reads ``vggsound.csv`` (no header: ``youtube_id,start_seconds,label,split``), skips the clips
that are not downloaded or carry no audio, checks the class count (309 as in the paper; with
``--classes-file`` only the listed classes are kept), and writes ``train.txt``, ``val.txt`` (held
out of train), ``test.txt``, the 1-shot (309 labels) and 5-shot (1,545 labels) lists,
``stats.json`` and ``prepare_report.json`` (``docs/datasets.md``).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from avssl.datasets.prepare import prepare_vggsound
from avssl.datasets.prepare.cli_args import add_common_args, common_kwargs, run_prepare
from avssl.datasets.prepare.vggsound import DEFAULT_NAME_FORMAT


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv (Sequence[str] | None): Arguments without the program name; None = ``sys.argv``.

    Returns:
        argparse.Namespace: The options.
    """
    parser = argparse.ArgumentParser(description='Prepare VGGSound')
    parser.add_argument('--csv', required=True, help='vggsound.csv')
    parser.add_argument('--videos', required=True, help='folder of the downloaded clips')
    parser.add_argument(
        '--name-format',
        default=DEFAULT_NAME_FORMAT,
        help='clip path relative to --videos, from youtube_id, start, end (= start + 10), '
        f'label, split; default {DEFAULT_NAME_FORMAT!r}',
    )
    parser.add_argument(
        '--num-classes', type=int, default=309, help='required number of classes (default 309)'
    )
    parser.add_argument(
        '--classes-file', default=None, help='keep only these classes (one name per line)'
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
        lambda: prepare_vggsound(
            args.csv,
            args.videos,
            name_format=args.name_format,
            num_classes=args.num_classes,
            classes_file=args.classes_file,
            **common_kwargs(args),
        )
    )


if __name__ == '__main__':
    raise SystemExit(main())
