"""The paper's Fig. 3 on SynthAV: localization maps, ASL-guided and tube masks, sounding boxes.

``python tools/analysis/visualize_masks.py CONFIG [--checkpoint FNAC_CKPT] --out fig.png
[--num-clips 3] [--split test] [--seed 0]``
``python tools/analysis/visualize_masks.py CONFIG [--checkpoint FNAC_CKPT] --stats-clips 100``

CONFIG is an ASL-guided config (e.g. ``configs/avssl_tiny_synthav_1shot.py``); its frozen
localizer gets the weights of ``--checkpoint`` (default: ``model.localizer.checkpoint``). For
clips spread evenly over the split, each clip's frames come through the config's validation
pipeline (one clip, centre crop) with the localizer's 3 s of raw audio. Per clip the figure has
four rows over the frames: the frames, the localizer's map (jet overlay), the ASL-guided mask
the config's mixer draws (seeded; a batch of one clip, so clip A is the clip itself: kept tokens
show its pixels, the others are greyed) and a tube mask with the same lambda; the ground-truth
sounding box (green) is drawn on every panel. Printed per clip and on average: the share of kept
tokens inside the box, ASL vs tube, beside the box's share of the frame (what a uniform mask
keeps on average). ``--stats-clips N`` computes only these numbers over N clips (no figure);
its last line is ``kept_in_box_asl=<float> kept_in_box_tube=<float> box_area=<float> clips=<n>``.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence

import matplotlib

matplotlib.use('Agg')

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from mmengine.config import DictAction  # noqa: E402

from avssl.analysis.asl_masks import (  # noqa: E402
    ClipMasks,
    MaskStudy,
    build_dataset,
    build_mask_model,
    mask_image,
    spread_indices,
)
from avssl.utils import register_all_modules  # noqa: E402
from avssl.utils.cli import load_config, resolve_checkpoint  # noqa: E402
from avssl.visualization import overlay_heatmap  # noqa: E402

ROWS = ('frames', 'localization map', 'ASL-guided mask', 'tube mask')


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv (Sequence[str] | None): Arguments without the program name; None = ``sys.argv``.

    Returns:
        argparse.Namespace: ``config``, ``checkpoint``, ``out``, ``num_clips``,
        ``stats_clips``, ``split``, ``seed``, ``cfg_options``.
    """
    parser = argparse.ArgumentParser(description='Draw ASL-guided vs tube token masks')
    parser.add_argument('config', help='config with the ASL-guided mix and model.localizer')
    parser.add_argument(
        '--checkpoint', help='FNAC checkpoint or work dir (default model.localizer.checkpoint)'
    )
    parser.add_argument('--out', help='PNG file of the figure')
    parser.add_argument('--num-clips', type=int, default=3, help='clips drawn (default 3)')
    parser.add_argument(
        '--stats-clips', type=int, help='only print the kept-in-box shares over this many clips'
    )
    parser.add_argument('--split', choices=['test', 'val'], default='test')
    parser.add_argument('--seed', type=int, default=0, help='seed of the mixer and tube masks')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args(argv)
    if args.stats_clips is None and not args.out:
        parser.error('--out is required unless --stats-clips is given')
    return args


def _draw_boxes(ax: plt.Axes, boxes: np.ndarray | None) -> None:
    if boxes is None:
        return
    for x1, y1, x2, y2 in np.asarray(boxes).reshape(-1, 4):
        ax.add_patch(
            Rectangle(
                (x1 - 0.5, y1 - 0.5), x2 - x1, y2 - y1, fill=False, edgecolor='lime', linewidth=1
            )
        )


def _share(value: float) -> str:
    return 'n/a' if math.isnan(value) else f'{value:.2f}'


def draw_figure(clips: Sequence[ClipMasks], path: str) -> None:
    """Write the figure: four rows per clip (see the module doc), one column per frame.

    Args:
        clips (Sequence[ClipMasks]): The clips.
        path (str): Output PNG.
    """
    frames = clips[0].frames.shape[0]
    cell, title = 1.05, 0.22  # inches per panel row, per clip title
    width = cell * frames + 0.35
    height = len(clips) * (title + len(ROWS) * cell) + 0.1
    fig = plt.figure(figsize=(width, height), dpi=110)
    ratios = [title / cell, *([1.0] * len(ROWS))] * len(clips)
    grid = fig.add_gridspec(
        len(ratios),
        frames,
        height_ratios=ratios,
        left=0.3 / width,
        right=1 - 0.05 / width,
        top=1 - 0.05 / height,
        bottom=0.05 / height,
        wspace=0.04,
        hspace=0.06,
    )
    for k, clip in enumerate(clips):
        first = k * (len(ROWS) + 1)
        _, grid_h, grid_w = clip.grid
        kept = int(clip.asl_mask[0].sum())
        head = fig.add_subplot(grid[first, :])
        head.axis('off')
        head.text(
            0.0,
            0.2,
            f'{clip.name} (class {clip.label}): lambda {clip.lam:.2f}, {kept}/'
            f'{grid_h * grid_w} tokens kept per frame; kept in box: ASL '
            f'{_share(clip.asl_share)}, tube {_share(clip.tube_share)}, box area '
            f'{_share(clip.box_share)}',
            fontsize=7,
            transform=head.transAxes,
        )
        for t in range(frames):
            frame = clip.frames[t]
            panels = (
                frame,
                overlay_heatmap(frame, clip.maps[t], alpha=0.5),
                mask_image(frame, clip.asl_mask[t].reshape(grid_h, grid_w), clip.patch),
                mask_image(frame, clip.tube_mask[t].reshape(grid_h, grid_w), clip.patch),
            )
            for r, image in enumerate(panels):
                ax = fig.add_subplot(grid[first + 1 + r, t])
                ax.imshow(image)
                _draw_boxes(ax, None if clip.boxes is None else clip.boxes[t])
                ax.set_xticks([])
                ax.set_yticks([])
                if t == 0:
                    ax.set_ylabel(ROWS[r], fontsize=6)
    fig.savefig(path)
    plt.close(fig)


def summary(clips: Sequence[ClipMasks]) -> tuple[float, float, float, int]:
    """Mean kept-in-box shares (ASL, tube), mean box area and the clips with a box.

    Args:
        clips (Sequence[ClipMasks]): The clips.

    Returns:
        tuple[float, float, float, int]: Means over the clips with ground truth, their count.
    """
    scored = [c for c in clips if not math.isnan(c.asl_share)]
    if not scored:
        return float('nan'), float('nan'), float('nan'), 0
    return (
        float(np.mean([c.asl_share for c in scored])),
        float(np.mean([c.tube_share for c in scored])),
        float(np.mean([c.box_share for c in scored])),
        len(scored),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Build the localizer and data set, draw the masks, print the shares.

    Args:
        argv (Sequence[str] | None): Arguments without the program name; None = ``sys.argv``.

    Returns:
        int: Exit status (0).
    """
    args = parse_args(argv)
    register_all_modules(init_scope=True)
    cfg = load_config(args.config, args.cfg_options)
    checkpoint = resolve_checkpoint(args.checkpoint) if args.checkpoint else None
    model = build_mask_model(cfg.model, checkpoint, args.seed)
    dataset = build_dataset(cfg, args.split)
    study = MaskStudy(model, dataset, cfg.get('boxes_file', 'boxes.json'), args.seed)
    if not study.boxes:
        print('no boxes.json for this data set: the kept-in-box shares are n/a')
    count = args.stats_clips if args.stats_clips is not None else args.num_clips
    clips = [study.clip(i) for i in spread_indices(len(dataset), count)]
    if args.stats_clips is None:
        for clip in clips:
            print(
                f'{clip.name}: lambda {clip.lam:.3f}; kept in box: ASL {_share(clip.asl_share)} '
                f'tube {_share(clip.tube_share)} (box area {_share(clip.box_share)})'
            )
        draw_figure(clips, args.out)
        print(f'wrote {args.out}')
    asl, tube, area, scored = summary(clips)
    print(
        f'mean over {scored} clip(s) with a box: kept in box ASL {_share(asl)}, tube '
        f'{_share(tube)}, box area {_share(area)}'
    )
    print(
        f'kept_in_box_asl={asl:.4f} kept_in_box_tube={tube:.4f} box_area={area:.4f} clips={scored}'
    )
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
