"""Recognise the action in a video (frames + audio) and, optionally, draw where the sound is.

``python tools/demo/demo_av.py VIDEO CONFIG CKPT [--topk 5] [--device cpu]
[--asl-map OUT.png|OUT.mp4] [--localizer-config CFG --localizer-ckpt CKPT] [--cfg-options ...]``

Prints the top-k classes with their scores (class names from ``classes.txt`` in the config's
test data folder, else indices). ``--asl-map`` also runs the FNAC localizer on the frames of the
video's centre clip (sampled as the config's test pipeline samples a clip) with the 3 s of audio
around it and writes the maps over the frames: a PNG grid, or an MP4 of the overlaid frames.
The localizer comes from ``--localizer-config``/``--localizer-ckpt`` or else from the
recognizer config's ``model.localizer`` entry (an FNAC config with ``checkpoint``).
"""

from __future__ import annotations

import argparse
import os.path as osp
import sys
from collections.abc import Sequence

from mmengine.config import DictAction

from avssl.apis import (
    clip_sampling,
    inference_av,
    init_localizer,
    init_recognizer,
    localize_av,
    localizer_entry,
    model_modalities,
)
from avssl.datasets.media_errors import MediaError
from avssl.utils.cli import ConfigKeyError
from avssl.utils.safe_load import UnsafeCheckpointError
from avssl.visualization import overlay_heatmap, tile_images, write_png, write_video

MAP_SUFFIXES = ('.png', '.mp4')
#: Frame rate of the ``--asl-map`` MP4 (a handful of sampled frames: slow enough to look at).
MAP_VIDEO_FPS = 2


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv (Sequence[str] | None): Arguments without the program name; None = ``sys.argv``.

    Returns:
        argparse.Namespace: The options.
    """
    parser = argparse.ArgumentParser(description='Recognise the action in one video')
    parser.add_argument('video', help='video file (with an audio track for audio models)')
    parser.add_argument('config', help='recognizer config file')
    parser.add_argument('checkpoint', help='checkpoint file or training work dir')
    parser.add_argument('--topk', type=int, default=5, help='classes to print (default 5)')
    parser.add_argument('--device', default='cpu', help='torch device (default cpu)')
    parser.add_argument('--asl-map', default=None, help='also write the sound maps (.png / .mp4)')
    parser.add_argument('--localizer-config', default=None, help='FNAC config for --asl-map')
    parser.add_argument('--localizer-ckpt', default=None, help='FNAC checkpoint for --asl-map')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction, help='recognizer config overrides'
    )
    args = parser.parse_args(argv)
    if args.topk < 1:
        parser.error(f'--topk must be >= 1, got {args.topk}')
    if args.asl_map and osp.splitext(args.asl_map)[1].lower() not in MAP_SUFFIXES:
        parser.error(f'--asl-map must end in .png or .mp4, got {args.asl_map}')
    if (args.localizer_config is None) != (args.localizer_ckpt is None):
        parser.error('give --localizer-config and --localizer-ckpt together')
    return args


def write_asl_map(args: argparse.Namespace, model_cfg: object) -> str:
    """Compute the localisation maps of the video and write them to ``args.asl_map``.

    Args:
        args (argparse.Namespace): The options.
        model_cfg (object): The recognizer's config (``model.cfg``).

    Returns:
        str: The file written.

    Raises:
        ValueError: If no localizer is configured.
    """
    if args.localizer_config is not None:
        localizer = init_localizer(args.localizer_config, args.localizer_ckpt, args.device)
    else:
        entry = localizer_entry(model_cfg)
        if entry is None:
            raise ValueError(
                '--asl-map needs --localizer-config/--localizer-ckpt, or a model.localizer entry '
                f'in {args.config}'
            )
        localizer = init_localizer(entry, None, args.device)
    clip_len, interval = clip_sampling(model_cfg.test_dataloader.dataset.pipeline)
    result = localize_av(localizer, args.video, clip_len, interval)
    overlays = [overlay_heatmap(f, m) for f, m in zip(result.frames, result.maps, strict=True)]
    if args.asl_map.lower().endswith('.png'):
        write_png(args.asl_map, tile_images(overlays, cols=4))
    else:
        write_video(args.asl_map, overlays, MAP_VIDEO_FPS)
    return args.asl_map


def main(argv: Sequence[str] | None = None) -> int:
    """Predict, print the top-k classes, optionally write the sound maps.

    Args:
        argv (Sequence[str] | None): Arguments without the program name; None = ``sys.argv``.

    Returns:
        int: Exit status: 0, or 1 after printing ``error: <message>`` to stderr.
    """
    args = parse_args(argv)
    try:
        model = init_recognizer(args.config, args.checkpoint, args.device, args.cfg_options)
        prediction = inference_av(model, args.video, topk=args.topk)
        print(f'{args.video}: top-{len(prediction.topk)} of {type(model).__name__} ', end='')
        print(f'({"+".join(model_modalities(model))})')
        for rank, (label, name, score) in enumerate(prediction.topk, start=1):
            print(f'{rank:4d}. {score:.4f}  {name} ({label})')
        if args.asl_map:
            print(f'sound source maps: {write_asl_map(args, model.cfg)}')
    except (
        MediaError,
        FileNotFoundError,
        ValueError,
        KeyError,
        ConfigKeyError,
        UnsafeCheckpointError,
    ) as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
