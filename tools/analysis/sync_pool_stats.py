"""Does a SyncPoolFusion find the sounding object? Its patch weights against SynthAV's boxes.

``python tools/analysis/sync_pool_stats.py CONFIG [--checkpoint CKPT] [--split val] [--num N]``

Builds the recognizer of a ``*_syncpool`` config, either as it starts (no ``--checkpoint``: the
encoders' and the synchrony head's start files, the student) or from a trained checkpoint or
work dir (the model the config reports, the EMA teacher), runs the split's test pipeline and,
for each clip, compares the neck's softmax weights over the video patches
(:meth:`SyncPoolFusion.source_weights`) with the sounding object's box in each sampled frame
(``boxes.json`` of the data set). Printed as a table: the share of the weight inside the box
(a patch counts by the part of its area the box covers, averaged over the frames), the same
share for uniform weights (what a pooling that ignores the sound gets), and the share of clips
whose heaviest patch lies mostly inside the box. The last line is machine-readable:
``mass_in_box=<f> uniform=<f> pointing=<f>``.
"""

from __future__ import annotations

import argparse
import json
import os.path as osp
from collections.abc import Sequence

import numpy as np
import torch
from mmaction.datasets.transforms import SampleFrames
from mmengine.config import DictAction
from mmengine.dataset import pseudo_collate

from avssl.apis import init_recognizer
from avssl.models.necks import SyncPoolFusion
from avssl.registry import DATASETS
from avssl.utils import register_all_modules
from avssl.utils.cli import load_config


def patch_box_overlap(box: Sequence[float], grid: tuple[int, int], patch: int) -> np.ndarray:
    """The part of each patch's area inside a box, ``(rows * cols,)`` row-major.

    Args:
        box (Sequence[float]): ``[x1, y1, x2, y2]`` in pixels (x2, y2 exclusive).
        grid (tuple[int, int]): Patch rows and columns.
        patch (int): Patch side in pixels.
    """
    x1, y1, x2, y2 = (float(v) for v in box)
    edges_r = np.arange(grid[0] + 1) * patch
    edges_c = np.arange(grid[1] + 1) * patch
    rows = np.clip(np.minimum(edges_r[1:], y2) - np.maximum(edges_r[:-1], y1), 0, None)
    cols = np.clip(np.minimum(edges_c[1:], x2) - np.maximum(edges_c[:-1], x1), 0, None)
    return (rows[:, None] * cols[None, :]).reshape(-1) / float(patch * patch)


def clip_stats(weights: np.ndarray, overlap: np.ndarray) -> dict[str, float]:
    """Mass in the box, its uniform-weight value and pointing for one clip.

    Args:
        weights (np.ndarray): ``(N,)`` patch weights summing to 1.
        overlap (np.ndarray): ``(T, N)`` part of each patch inside the box in each frame.
    """
    inside = overlap.mean(axis=0)
    return dict(
        mass_in_box=float((weights * inside).sum()),
        uniform=float(inside.mean()),
        pointing=float(inside[int(weights.argmax())] >= 0.5),
    )


def sampled_frames(sampler_cfg: dict, total_frames: int) -> np.ndarray:
    """Frame indices the test pipeline's ``SampleFrames`` takes from a video of that length."""
    cfg = {k: v for k, v in sampler_cfg.items() if k != 'type'}
    out = SampleFrames(**cfg).transform(dict(total_frames=total_frames, start_index=0))
    return np.asarray(out['frame_inds']) % total_frames


def main(argv: Sequence[str] | None = None) -> int:
    """Score every clip of the split and print the table (0 on success)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='a config whose neck is SyncPoolFusion')
    parser.add_argument('--checkpoint', help='checkpoint or work dir (default: the start)')
    parser.add_argument('--split', choices=('test', 'val'), default='val')
    parser.add_argument('--num', type=int, default=0, help='first N clips only (0: all)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args(argv)
    register_all_modules(init_scope=True)
    cfg = load_config(args.config, args.cfg_options)
    model = init_recognizer(cfg, args.checkpoint)
    if args.checkpoint is None:
        model.init_weights()  # the start files, as the Runner loads them
        network = getattr(model, 'student', model)
    else:
        network = getattr(model, 'eval_network', model)
    network.eval()
    neck = network.neck
    if not isinstance(neck, SyncPoolFusion):
        raise TypeError(f'{args.config}: the neck is {type(neck).__name__}, not SyncPoolFusion')
    loader = cfg[f'{args.split}_dataloader']['dataset']
    dataset = DATASETS.build(loader)
    sampler = next(t for t in loader['pipeline'] if t['type'] == 'SampleFrames')
    root = loader.get('data_root') or osp.dirname(loader['ann_file'])
    boxes_path = osp.join(root, 'boxes.json')
    if not osp.isfile(boxes_path):
        raise FileNotFoundError(f'no boxes.json in the data set folder: {boxes_path}')
    with open(boxes_path, encoding='utf-8') as f:
        boxes = json.load(f)
    count = len(dataset) if args.num <= 0 else min(args.num, len(dataset))
    stats = []
    for index in range(count):
        info = dataset.get_data_info(index)
        key = osp.relpath(info['filename'], root)
        if key not in boxes:
            raise KeyError(f'{boxes_path} has no entry for {key}')
        per_frame = boxes[key]['boxes']
        data = model.data_preprocessor(pseudo_collate([dataset[index]]), False)
        with torch.no_grad():
            video, audio = network.embed(data['inputs'])
            weights = neck.source_weights(video, audio)[0].float().numpy()
        # square frames cut into a square grid of patches, row-major
        side = int(data['inputs']['imgs'].shape[-1])
        cols = int(round(len(weights) ** 0.5))
        if cols * cols != len(weights) or side % cols:
            raise ValueError(f'{len(weights)} patches do not tile a {side}-pixel square frame')
        frames = sampled_frames(sampler, len(per_frame))
        overlap = np.stack(
            [patch_box_overlap(per_frame[f], (cols, cols), side // cols) for f in frames]
        )
        stats.append(clip_stats(weights, overlap))
    means = {k: float(np.mean([s[k] for s in stats])) for k in stats[0]}
    print(f'{args.split}: {count} clips')
    print('| mass in the box | uniform weights | pointing |')
    print('|---|---|---|')
    print(f'| {means["mass_in_box"]:.3f} | {means["uniform"]:.3f} | {means["pointing"]:.3f} |')
    print(' '.join(f'{k}={v:.4f}' for k, v in means.items()))
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
