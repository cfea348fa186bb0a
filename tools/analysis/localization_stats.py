"""Pointing accuracy, cIoU and map mass inside the box of an FNAC localizer on a split.

``python tools/analysis/localization_stats.py CONFIG CKPT [--split test] [--num N]``

Runs the config's test (or val) pipeline (the centre frame and its 3 s of audio in the FNAC
configs), predicts each clip's map and prints, as a table: the share of clips whose map maximum
lies inside the sounding object's box (pointing), cIoU@0.5 and mean cIoU as the metric computes
them, the share of the map's mass inside the box, and the box's mean area. The last line is
machine-readable: ``pointing=<f> ciou05=<f> mean_ciou=<f> mass_in_box=<f> box_area=<f>``.
CKPT is an avssl checkpoint, a training work dir, or an official FNAC release file.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import numpy as np
import torch
from mmengine.config import DictAction
from mmengine.dataset import pseudo_collate

from avssl.analysis.localization_stats import (
    clip_localization_stats,
    summarize_localization_stats,
)
from avssl.apis import init_localizer
from avssl.registry import DATASETS
from avssl.utils import register_all_modules
from avssl.utils.cli import load_config


def main(argv: Sequence[str] | None = None) -> int:
    """Predict every clip of the split and print the statistics (0 on success).

    ``argv`` holds the arguments without the program name (None: ``sys.argv``).
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='FNAC config file')
    parser.add_argument('checkpoint', help='checkpoint file or training work dir')
    parser.add_argument('--split', choices=('test', 'val'), default='test')
    parser.add_argument('--num', type=int, default=0, help='first N clips only (0: all)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args(argv)
    register_all_modules(init_scope=True)
    cfg = load_config(args.config, args.cfg_options)
    model = init_localizer(cfg, args.checkpoint)
    dataset = DATASETS.build(cfg[f'{args.split}_dataloader']['dataset'])
    count = len(dataset) if args.num <= 0 else min(args.num, len(dataset))
    stats = []
    for index in range(count):
        item = dataset[index]
        data = model.data_preprocessor(pseudo_collate([item]), False)
        with torch.no_grad():
            sample = model(**data, mode='predict')[0]
        boxes = np.asarray(sample.metainfo['gt_bboxes'], dtype=np.float64).reshape(-1, 4)
        stats.append(clip_localization_stats(sample.pred_map, boxes, sample.metainfo['img_shape']))
    summary = summarize_localization_stats(stats)
    print(f'{args.split}: {int(summary["clips"])} clips')
    print('| pointing | cIoU@0.5 | mean cIoU | mass in box | box area |')
    print('|---|---|---|---|---|')
    keys = ('pointing', 'cIoU@0.5', 'mean_cIoU', 'mass_in_box', 'box_area')
    print('| ' + ' | '.join(f'{summary[k]:.3f}' for k in keys) + ' |')
    names = ('pointing', 'ciou05', 'mean_ciou', 'mass_in_box', 'box_area')
    print(' '.join(f'{n}={summary[k]:.4f}' for n, k in zip(names, keys, strict=True)))
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
