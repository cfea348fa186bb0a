"""Convert a timm ImageNet ViT checkpoint into the TimeSformer format avssl loads.

Usage::

    python tools/model_converters/vit_to_timesformer.py SRC DST [--num-frames 8]
        [--img-size 224] [--attention-type divided_space_time] [--depth 12]

SRC is a local timm ``VisionTransformer`` file (e.g. ViT-B/16 ImageNet: ``cls_token``,
``pos_embed``, ``patch_embed.proj.*``, ``blocks.{i}.*``, ``norm.*``, ``head.*``). DST receives
``{'state_dict': ..., 'meta': ...}`` with mmaction2 TimeSformer key names; point a
``MixableTimeSformer``'s ``pretrained`` at it. The script prints what was mapped, dropped and
left to initialisation. Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from avssl.models.backbones.vit_to_timesformer import (
    ATTENTION_TYPES,
    convert_vit_file_to_timesformer,
)
from avssl.utils.safe_load import UnsafeCheckpointError


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv (Sequence[str] | None): Arguments without the program name; None = ``sys.argv``.

    Returns:
        argparse.Namespace: ``src``, ``dst``, ``num_frames``, ``img_size``, ``patch_size``,
        ``attention_type``, ``depth``.
    """
    parser = argparse.ArgumentParser(
        description='Convert a timm image ViT checkpoint to mmaction2 TimeSformer keys.'
    )
    parser.add_argument('src', help='local timm ViT checkpoint')
    parser.add_argument('dst', help='output file ({"state_dict", "meta"})')
    parser.add_argument(
        '--num-frames', type=int, default=8, help='frames of the target model (recorded)'
    )
    parser.add_argument(
        '--img-size',
        type=int,
        nargs='+',
        default=None,
        help='target frame size H [W]; the position grid is resampled to it '
        '(default: keep the grid of the file)',
    )
    parser.add_argument(
        '--patch-size', type=int, default=16, help='patch size, used with --img-size'
    )
    parser.add_argument('--attention-type', choices=ATTENTION_TYPES, default=ATTENTION_TYPES[0])
    parser.add_argument(
        '--depth', type=int, default=None, help='target depth (default: all blocks of the file)'
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the conversion and print the report.

    Args:
        argv (Sequence[str] | None): Arguments without the program name; None = ``sys.argv``.

    Returns:
        int: The exit status: 0, or 1 when unpickling SRC would run code (refused, nothing is
        run).
    """
    args = parse_args(argv)
    grid = None
    if args.img_size is not None:
        if len(args.img_size) not in (1, 2):
            raise SystemExit('--img-size takes H or H W')
        h, w = args.img_size if len(args.img_size) == 2 else args.img_size * 2
        if h % args.patch_size or w % args.patch_size:
            raise SystemExit(f'--img-size {h} {w} is not a multiple of --patch-size')
        grid = (h // args.patch_size, w // args.patch_size)
    try:
        report = convert_vit_file_to_timesformer(
            args.src,
            args.dst,
            num_frames=args.num_frames,
            grid_size=grid,
            attention_type=args.attention_type,
            depth=args.depth,
        )
    except UnsafeCheckpointError as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 1
    print(f'wrote {args.dst} ({args.attention_type}, from {args.src})')
    print(f'mapped ({len(report.mapped)} tensors):')
    for src, dst in report.mapped:
        print(f'  {src} -> {dst}')
    print(f'dropped ({len(report.dropped)}): {", ".join(report.dropped) or "-"}')
    print(f'left to initialisation ({len(report.left_to_init)}):')
    for key in report.left_to_init:
        print(f'  {key}')
    for note in report.notes:
        print(f'note: {note}')
    if report.unrecognised:
        print(
            f'WARNING: {len(report.unrecognised)} key(s) have no TimeSformer counterpart and '
            f'were dropped: {", ".join(report.unrecognised)}'
        )
    return 0


if __name__ == '__main__':
    sys.exit(main())
