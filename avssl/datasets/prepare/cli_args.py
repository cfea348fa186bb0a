"""Command-line options shared by the prepare tools, and their error handling."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable
from typing import Any

from .writer import format_summary

#: Errors a prepare run reports as one line (exit status 1) instead of a traceback.
EXPECTED_ERRORS = (ValueError, FileNotFoundError, FileExistsError, NotADirectoryError)


def add_common_args(parser: argparse.ArgumentParser) -> None:
    """Add ``--out``, ``--seed``, the val options, ``--workers``, ``--stats-clips``, ...

    Args:
        parser (argparse.ArgumentParser): The tool's parser.
    """
    parser.add_argument('--out', required=True, help='output folder (created if needed)')
    parser.add_argument('--seed', type=int, default=0, help='seed of val, k-shot and stats draws')
    val = parser.add_mutually_exclusive_group()
    val.add_argument(
        '--val-per-class',
        type=int,
        default=None,
        help='training clips per class held out as val.txt (default 5)',
    )
    val.add_argument(
        '--val-ratio', type=float, default=None, help='per-class fraction held out instead'
    )
    parser.add_argument(
        '--workers',
        type=int,
        default=min(8, os.cpu_count() or 1),
        help='processes probing the files and computing the audio statistics',
    )
    parser.add_argument(
        '--stats-clips',
        type=int,
        default=2000,
        help='training clips (seeded sample) for the audio mean/std; 0 = all',
    )
    parser.add_argument(
        '--probe-cache', default=None, help='probe cache file (default OUT/.probe_cache.json)'
    )
    parser.add_argument('--no-progress', action='store_true', help='hide the progress bars')


def common_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments of :func:`~.prepare_dataset.prepare_dataset` from the common options.

    Args:
        args (argparse.Namespace): Parsed options (see :func:`add_common_args`).

    Returns:
        dict[str, Any]: ``out``, ``seed``, ``val_per_class``, ``val_ratio``, ``workers``,
        ``stats_clips``, ``progress``, ``probe_cache`` and ``options`` (every option).
    """
    val_per_class = args.val_per_class
    if val_per_class is None and args.val_ratio is None:
        val_per_class = 5
    return dict(
        out=args.out,
        seed=args.seed,
        val_per_class=val_per_class,
        val_ratio=args.val_ratio,
        workers=args.workers,
        stats_clips=args.stats_clips,
        progress=not args.no_progress,
        probe_cache=args.probe_cache,
        options={k: v for k, v in sorted(vars(args).items()) if k not in ('no_progress',)},
    )


def run_prepare(run: Callable[[], dict[str, Any]]) -> int:
    """Run a prepare function, print its summary, and turn expected errors into one line.

    Args:
        run (Callable[[], dict]): Calls the prepare function and returns its report.

    Returns:
        int: 0 on success, 1 after printing ``error: <message>`` to stderr.
    """
    logging.basicConfig(level=logging.INFO, format='%(levelname)s %(name)s: %(message)s')
    try:
        report = run()
    except EXPECTED_ERRORS as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 1
    print(format_summary(report))
    print(f'report: {report["report_file"]}')
    print(json.dumps(report['counts']))
    return 0
