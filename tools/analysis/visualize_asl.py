"""Draw sound source localisation maps: frame, heat map overlay, ground-truth box, cIoU.

``python tools/analysis/visualize_asl.py CONFIG CKPT --out DIR [--num N] [--split test]``

For ``N`` clips spread evenly over the config's test (or val) list it runs the model's
``predict`` on the pipeline's frame (the centre frame in the FNAC configs), upsamples the map
to the frame (bilinear, as the metric), and writes ``DIR/<k>_<video>.png``: on the left the
frame, on the right the frame with the min-max normalised map overlaid (``jet``) and the outline
of the predicted mask (pixels at or above the map's median, white); the ground-truth box
(green) on both; titled with the clip's cIoU. CKPT is an avssl
checkpoint (or a training work dir) or an official FNAC release file (converted on the fly).
"""

from __future__ import annotations

import argparse
import os
import os.path as osp
from collections.abc import Sequence

import matplotlib

matplotlib.use('Agg')

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from mmengine.config import DictAction  # noqa: E402
from mmengine.dataset import pseudo_collate  # noqa: E402

from avssl.evaluation.metrics.localization_metric import (  # noqa: E402
    box_mask,
    ciou,
    median_binarize,
    upsample_map,
)
from avssl.models.localizers.fnac_checkpoint import (  # noqa: E402
    check_state_dict_fits,
    read_fnac_state_dict,
)
from avssl.registry import DATASETS, MODELS  # noqa: E402
from avssl.utils import register_all_modules  # noqa: E402
from avssl.utils.cli import load_config, resolve_checkpoint  # noqa: E402


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv (Sequence[str] | None): Arguments without the program name; None = ``sys.argv``.

    Returns:
        argparse.Namespace: ``config``, ``checkpoint``, ``out``, ``num``, ``split``,
        ``cfg_options``.
    """
    parser = argparse.ArgumentParser(description='Draw audio source localisation maps')
    parser.add_argument('config', help='FNAC config file')
    parser.add_argument('checkpoint', help='checkpoint file or training work dir')
    parser.add_argument('--out', required=True, help='folder for the PNG files')
    parser.add_argument('--num', type=int, default=8, help='number of clips (default 8)')
    parser.add_argument('--split', choices=['test', 'val'], default='test')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(argv)


def pick_indices(length: int, num: int) -> list[int]:
    """``num`` indices spread evenly over ``range(length)`` (all of them if fewer)."""
    if num <= 0:
        raise ValueError(f'--num must be > 0, got {num}')
    if num >= length:
        return list(range(length))
    return sorted({int(round(i)) for i in np.linspace(0, length - 1, num)})


def draw(frame: np.ndarray, heat: np.ndarray, boxes: np.ndarray, title: str, path: str) -> None:
    """Write one figure.

    Args:
        frame (np.ndarray): ``(H, W, 3)`` uint8 RGB.
        heat (np.ndarray): ``(H, W)`` map at frame resolution.
        boxes (np.ndarray): ``(K, 4)`` ground-truth boxes (``x2``, ``y2`` exclusive).
        title (str): Figure title.
        path (str): Output PNG.
    """
    span = heat.max() - heat.min()
    norm = (heat - heat.min()) / span if span > 0 else np.zeros_like(heat)
    fig, (left, right) = plt.subplots(1, 2, figsize=(6.0, 3.4), dpi=100)
    left.imshow(frame)
    right.imshow(frame)
    right.imshow(norm, cmap='jet', alpha=0.5, vmin=0.0, vmax=1.0)
    right.contour(median_binarize(heat).astype(float), levels=[0.5], colors='white', linewidths=1)
    for ax in (left, right):
        for x1, y1, x2, y2 in boxes:
            ax.add_patch(
                Rectangle(
                    (x1 - 0.5, y1 - 0.5),
                    x2 - x1,
                    y2 - y1,
                    fill=False,
                    edgecolor='lime',
                    linewidth=2,
                )
            )
        ax.axis('off')
    fig.suptitle(title, fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv: Sequence[str] | None = None) -> int:
    """Build the model and data set, predict and draw.

    Args:
        argv (Sequence[str] | None): Arguments without the program name; None = ``sys.argv``.

    Returns:
        int: Exit status (0).
    """
    args = parse_args(argv)
    register_all_modules(init_scope=True)
    cfg = load_config(args.config, args.cfg_options)
    model = MODELS.build(cfg.model)
    ckpt = resolve_checkpoint(args.checkpoint, 'checkpoint')
    state = read_fnac_state_dict(ckpt)
    check_state_dict_fits(model, state, ckpt)
    model.load_state_dict(state, strict=True)
    model.eval()
    dataset = DATASETS.build(cfg[f'{args.split}_dataloader']['dataset'])
    os.makedirs(args.out, exist_ok=True)
    written = []
    for k, index in enumerate(pick_indices(len(dataset), args.num)):
        item = dataset[index]
        data = model.data_preprocessor(pseudo_collate([item]), False)
        with torch.no_grad():
            sample = model(**data, mode='predict')[0]
        frame = item['inputs']['imgs'].reshape(-1, *item['inputs']['imgs'].shape[-3:])[0]
        frame = frame.permute(1, 2, 0).numpy().astype(np.uint8)
        height, width = frame.shape[:2]
        heat = upsample_map(sample.pred_map.numpy(), (height, width), 'bilinear')
        boxes = np.asarray(sample.metainfo.get('gt_bboxes', np.zeros((0, 4))), np.float32)
        name = osp.splitext(osp.basename(sample.metainfo.get('filename', f'clip{index}')))[0]
        title = name
        if len(boxes):
            value = ciou(median_binarize(heat), box_mask(boxes, height, width))
            title = f'{name}\ncIoU {value:.2f}'
        path = osp.join(args.out, f'{k:03d}_{name}.png')
        draw(frame, heat, boxes.reshape(-1, 4), title, path)
        written.append(path)
    print(f'wrote {len(written)} figure(s) to {args.out}')
    for path in written:
        print(f'  {path}')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
