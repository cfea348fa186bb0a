"""Generate the SynthAV data set: ``python tools/data/synthav/generate.py --out data/synthav``.

The defaults build the standard set (10 classes, 100 clips each, 3 s at 25 fps, 112x112,
16 kHz mono audio). See ``docs/synthav.md`` for the design and the folder format.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from avssl.datasets.synthav import existing_is_up_to_date, generate_synthav


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv (list[str] | None): Arguments without the program name. Defaults to
            ``sys.argv[1:]``.

    Returns:
        argparse.Namespace: Parsed arguments.
    """
    parser = argparse.ArgumentParser(
        description='Generate the SynthAV synthetic audio-visual data set',
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument('--out', required=True, help='output folder (must be absent or empty)')
    parser.add_argument('--num-classes', type=int, default=10, help='number of classes')
    parser.add_argument('--clips-per-class', type=int, default=100, help='clips per class')
    parser.add_argument('--seed', type=int, default=0, help='master seed (>= 0)')
    parser.add_argument(
        '--num-distractors', type=int, default=2, help='silent distractor objects per clip'
    )
    parser.add_argument(
        '--object-area',
        type=float,
        nargs=2,
        default=[0.25, 0.35],
        metavar=('MIN', 'MAX'),
        help='object box area range as a fraction of the frame area',
    )
    parser.add_argument(
        '--distractor-motion',
        action=argparse.BooleanOptionalAction,
        default=True,
        help='distractors move like the sounding object',
    )
    parser.add_argument(
        '--distractor-pulse',
        action=argparse.BooleanOptionalAction,
        default=True,
        help='distractors pulse with their own random rhythm',
    )
    parser.add_argument('--size', type=int, default=112, help='frame width and height (pixels)')
    parser.add_argument('--duration', type=float, default=3.0, help='clip length (seconds)')
    parser.add_argument('--fps', type=int, default=25, help='frame rate')
    parser.add_argument('--sample-rate', type=int, default=16000, help='audio sample rate (Hz)')
    parser.add_argument('--val-fraction', type=float, default=0.1, help='per-class val fraction')
    parser.add_argument('--test-fraction', type=float, default=0.3, help='per-class test fraction')
    parser.add_argument(
        '--shots', type=int, nargs='+', default=[1, 2, 3, 5], help='k of the k-shot labeled lists'
    )
    parser.add_argument(
        '--class-offset',
        type=int,
        default=0,
        help='first class of the set in the class universe (even); 10 or more shares no class '
        'with the default 10-class set (the pretraining set uses 10)',
    )
    parser.add_argument('--workers', type=int, default=2, help='worker processes')
    parser.add_argument('--no-progress', action='store_true', help='hide the progress bar')
    parser.add_argument(
        '--overwrite', action='store_true', help='replace OUT if it exists and is not empty'
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Generate the data set and print a summary.

    Args:
        argv (list[str] | None): Arguments without the program name.

    Returns:
        int: Exit status (0 on success, 1 on a configuration or target-folder error).
    """
    args = parse_args(argv)
    content = dict(
        num_classes=args.num_classes,
        clips_per_class=args.clips_per_class,
        seed=args.seed,
        num_distractors=args.num_distractors,
        object_area=tuple(args.object_area),
        distractor_motion=args.distractor_motion,
        distractor_pulse=args.distractor_pulse,
        size=args.size,
        duration=args.duration,
        fps=args.fps,
        sample_rate=args.sample_rate,
        val_fraction=args.val_fraction,
        test_fraction=args.test_fraction,
        shots=tuple(args.shots),
        class_offset=args.class_offset,
    )
    if not args.overwrite:
        try:
            if existing_is_up_to_date(Path(args.out), content):
                print(f'SynthAV at {args.out} is complete and has these arguments: nothing to do')
                return 0
        except ValueError as err:
            print(f'error: {err}', file=sys.stderr)
            return 1
    try:
        summary = generate_synthav(
            args.out,
            **content,
            workers=args.workers,
            progress=not args.no_progress,
            overwrite=args.overwrite,
        )
    except (FileExistsError, ValueError) as err:
        print(f'error: {err}', file=sys.stderr)
        return 1
    megabytes = summary['num_bytes'] / 2**20
    print(f'SynthAV written to {summary["out_dir"]} in {summary["seconds"]:.1f} s')
    print(f'videos: {megabytes:.1f} MiB; counts: {json.dumps(summary["counts"])}')
    if summary['occlusion_violations']:
        print(
            f'warning: {summary["occlusion_violations"]} clips exceed the occlusion limit '
            '(rejection sampling gave up; the least occluded layout was kept)'
        )
    return 0


if __name__ == '__main__':
    sys.exit(main())
