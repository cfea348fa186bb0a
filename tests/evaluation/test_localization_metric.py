"""cIoU / AUC against hand-made masks, and the ground-truth box of the evaluated frame."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from mmengine.config import Config

from avssl.datasets.transforms import LoadSoundingBox
from avssl.evaluation.metrics import LocalizationMetric
from avssl.evaluation.metrics.localization_metric import (
    box_mask,
    ciou,
    clip_ciou,
    median_binarize,
    success_auc,
)
from avssl.registry import DATASETS

REPO = Path(__file__).resolve().parents[2]

TOP = np.zeros((8, 8), dtype=bool)
TOP[:4] = True  # rows 0..3: 32 pixels
BOTTOM = ~TOP
LEFT = np.zeros((8, 8), dtype=bool)
LEFT[:, :4] = True  # columns 0..3: 32 pixels


def test_ciou_of_hand_made_masks() -> None:
    assert ciou(TOP, TOP) == 1.0  # perfect
    assert ciou(TOP, BOTTOM) == 0.0  # disjoint
    # Half overlap: |P and G| = 16, |G| = 32, |P minus G| = 16 -> 16 / (32 + 16) = 1/3.
    assert ciou(TOP, LEFT) == pytest.approx(1 / 3)
    # Not symmetric: a small prediction inside a big box -> |P| / |G| (4 / 32).
    small = np.zeros((8, 8), dtype=bool)
    small[:2, :2] = True
    assert ciou(small, TOP) == pytest.approx(4 / 32)
    assert ciou(np.zeros((8, 8)), np.zeros((8, 8))) == 0.0


def test_box_mask_is_exclusive_at_x2_y2() -> None:
    assert np.array_equal(box_mask(np.array([[0, 0, 8, 4]]), 8, 8), TOP)
    assert np.array_equal(box_mask(np.array([0, 0, 4, 8]), 8, 8), LEFT)
    union = box_mask(np.array([[0, 0, 8, 4], [0, 0, 4, 8]]), 8, 8)
    assert union.sum() == 32 + 16


def test_median_binarisation_takes_the_upper_median() -> None:
    heat = np.arange(16, dtype=float).reshape(4, 4)
    assert np.array_equal(median_binarize(heat), heat >= 8)  # index 16 // 2 of the sorted map
    assert median_binarize(heat).sum() == 8


def test_clip_ciou_upsamples_then_binarises() -> None:
    # 2x2 map, top row hot: bilinear to 8x8 gives rows 1, 1, .875, .625, .375, .125, 0, 0; the
    # sorted map's element 32 is .625, so the prediction is rows 0..3 = TOP.
    heat = torch.tensor([[1.0, 1.0], [0.0, 0.0]])
    assert clip_ciou(heat, np.array([[0, 0, 8, 4]]), (8, 8)) == 1.0
    assert clip_ciou(heat, np.array([[0, 4, 8, 8]]), (8, 8)) == 0.0
    assert clip_ciou(heat, np.array([[0, 0, 4, 8]]), (8, 8)) == pytest.approx(1 / 3)


def test_auc_of_a_known_list() -> None:
    # cIoU 0, .5, 1: success rate 1 at t = 0, 2/3 for t = .05 .. .5, 1/3 for t = .55 .. 1.
    # Trapezoids of width .05: (1 + 2/3)/2 + 9 * 2/3 + (2/3 + 1/3)/2 + 9 * 1/3 = 31/3.
    assert success_auc([0.0, 0.5, 1.0]) == pytest.approx(0.05 * 31 / 3)
    assert success_auc([1.0, 1.0]) == pytest.approx(1.0)
    assert success_auc([0.0]) == pytest.approx(0.025)  # only the first trapezoid: (1 + 0)/2


def test_metric_end_to_end() -> None:
    metric = LocalizationMetric()
    heat = torch.tensor([[1.0, 1.0], [0.0, 0.0]])
    boxes = ([[0, 0, 8, 4]], [[0, 4, 8, 8]], [[0, 0, 4, 8]])  # cIoU 1, 0, 1/3
    samples = [
        dict(pred_map=heat, gt_bboxes=np.array(b, np.float32), img_shape=(8, 8)) for b in boxes
    ]
    metric.process({}, samples)
    out = metric.compute_metrics(metric.results)
    assert out['cIoU@0.5'] == pytest.approx(1 / 3)
    assert out['mean_cIoU'] == pytest.approx(4 / 9)
    # Rates: 1 at 0, 2/3 for .05 .. .30, 1/3 for .35 .. 1:
    # (1 + 2/3)/2 + 5 * 2/3 + (2/3 + 1/3)/2 + 13 * 1/3 = 9, times .05.
    assert out['AUC'] == pytest.approx(0.45)
    with pytest.raises(KeyError, match='pred_map'):
        metric.process({}, [dict(gt_bboxes=np.zeros((1, 4)), img_shape=(8, 8))])
    with pytest.raises(ValueError, match='bilinear or bicubic'):
        LocalizationMetric(upsample_mode='nearest')


def _test_pipeline(frame_size: int) -> list:
    cfg = Config.fromfile(str(REPO / 'configs/_base_/datasets/synthav_localization.py'))
    pipeline = cfg.test_dataloader.dataset.pipeline
    for step in pipeline:
        if step['type'] == 'Resize':
            step['scale'] = (frame_size, frame_size)
    return pipeline


@pytest.mark.parametrize('frame_size', [112, 64])
def test_sounding_box_of_the_centre_frame(tiny_synthav: Path, frame_size: int) -> None:
    dataset = DATASETS.build(
        dict(
            type='VideoListDataset',
            data_root=str(tiny_synthav),
            ann_file='test.txt',
            pipeline=_test_pipeline(frame_size),
            test_mode=True,
        )
    )
    item = dataset[0]
    meta = item['data_samples'].metainfo
    boxes = json.loads((tiny_synthav / 'boxes.json').read_text())
    rel = Path(meta['filename']).relative_to(tiny_synthav).as_posix()
    entry = boxes[rel]
    total = len(entry['boxes'])  # 30 frames of 1.2 s at 25 fps
    assert int(meta['frame_inds'][0]) == meta['box_frame_index'] == total // 2  # centre frame
    scale = frame_size / entry['width']
    expected = np.array(entry['boxes'][total // 2], np.float32) * scale
    assert np.allclose(meta['gt_bboxes'], expected[None])
    assert item['inputs']['imgs'].shape == (1, 3, frame_size, frame_size)
    assert item['inputs']['asl_audio'].shape == (1, 48000)
    assert meta['img_shape'] == (frame_size, frame_size)


def test_sounding_box_refuses_crops_and_unknown_videos(tiny_synthav: Path) -> None:
    transform = LoadSoundingBox()
    base = dict(
        filename=str(tiny_synthav / 'videos/missing.mp4'),
        data_root=str(tiny_synthav),
        frame_inds=np.array([0]),
        total_frames=30,
        img_shape=(112, 112),
    )
    with pytest.raises(KeyError, match='has no boxes for videos/missing.mp4'):
        transform(dict(base))
    with pytest.raises(ValueError, match='before any crop or flip'):
        transform(dict(base, crop_bbox=np.array([0, 0, 100, 100])))
    with pytest.raises(FileNotFoundError, match='sounding-box file not found'):
        LoadSoundingBox(boxes_file='/nonexistent/boxes.json')(dict(base))
