"""tools/analysis/visualize_masks.py and avssl.analysis.asl_masks: masks against sounding boxes."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import torch
from helpers import REPO, run_tool, tiny_train_config
from mmengine.config import Config
from PIL import Image

from avssl.analysis.asl_masks import (
    MaskStudy,
    build_dataset,
    build_mask_model,
    frame_boxes,
    kept_in_box_share,
    token_box_cover,
    tube_mask_like,
)
from avssl.registry import MODELS

ASL = 'configs/avssl_tiny_synthav_1shot.py'
LAST = re.compile(
    r'^kept_in_box_asl=([\d.]+) kept_in_box_tube=([\d.]+) box_area=([\d.]+) clips=(\d+)$'
)


@pytest.fixture(scope='module')
def asl_setup(tiny_synthav: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The tiny ASL config on the tiny SynthAV set, and a random FNAC of its localizer's size."""
    tmp = tmp_path_factory.mktemp('masks')
    cfg = tiny_train_config(ASL, tiny_synthav, tmp)
    localizer = {k: v for k, v in cfg.model.localizer.items() if k not in ('checkpoint', 'config')}
    torch.manual_seed(0)
    fnac = MODELS.build(localizer)
    ckpt = tmp / 'fnac.pth'
    torch.save({'state_dict': fnac.state_dict(), 'meta': {}}, ckpt)
    cfg.model.localizer.checkpoint = str(ckpt)
    path = tmp / 'asl_tiny.py'
    cfg.dump(str(path))
    return path, ckpt


def test_box_mapping_cover_and_share_by_hand() -> None:
    entry = {'width': 100, 'height': 100, 'boxes': [[10, 20, 60, 70], [0, 0, 50, 50]]}
    meta = dict(
        frame_inds=np.array([0, 3]),  # 4 video frames for 2 boxes: frame 3 -> box 1
        total_frames=4,
        original_shape=(100, 100),
        scale_factor=np.array([1.28, 1.28]),
        crop_bbox=np.array([8, 8, 120, 120]),
    )
    boxes = frame_boxes(entry, meta, (112, 112))
    np.testing.assert_allclose(boxes[0], [[4.8, 17.6, 68.8, 81.6]], atol=1e-4)
    np.testing.assert_allclose(boxes[1], [[0, 0, 56, 56]], atol=1e-4)
    cover = token_box_cover(boxes, (112, 112), (16, 16))
    assert cover.shape == (2, 49)
    # Frame 1: rows / columns 0..55 = 3.5 cells, so 3x3 full cells, 6 halves, 1 quarter.
    assert sorted(np.unique(cover[1])) == [0.0, 0.25, 0.5, 1.0]
    assert cover[1].sum() == pytest.approx(56 * 56 / 256)
    mask = np.zeros((2, 49), dtype=bool)
    mask[:, 0] = True  # top-left token: outside the box in frame 0, inside in frame 1
    mask[:, 48] = True  # bottom-right token: outside in both
    assert kept_in_box_share(mask, cover) == pytest.approx((0.0 + 1.0) / 4)
    tube = tube_mask_like(0.3, (8, 7, 7), torch.Generator().manual_seed(0))
    assert tube.shape == (8, 49) and (tube.sum(1) == 15).all() and (tube == tube[0]).all()


def test_oracle_maps_keep_the_box_and_a_tube_config_is_refused(asl_setup) -> None:
    config, ckpt = asl_setup
    cfg = Config.fromfile(str(config))
    model = build_mask_model(cfg.model, str(ckpt), seed=0)
    study = MaskStudy(model, build_dataset(cfg, 'test'), 'boxes.json', seed=0)
    first = study.clip(0)
    assert first.boxes is not None and 0.0 < first.box_share < 1.0
    cover = token_box_cover(first.boxes, first.frames.shape[1:3], first.patch)
    frames, rows, cols = first.grid
    oracle = torch.as_tensor(cover, dtype=torch.float32).reshape(1, frames, rows, cols)
    model.localization_maps = lambda clips: oracle  # a perfect localizer
    shares = [study.clip(0) for _ in range(4)]
    asl = np.mean([c.asl_share for c in shares])
    tube = np.mean([c.tube_share for c in shares])
    assert asl > 0.6 and asl > tube + 0.2
    with pytest.raises(ValueError, match='ASL-guided'):
        build_mask_model(
            Config.fromfile(str(REPO / 'configs/avssl_tiny_synthav_1shot_tube.py')).model, None, 0
        )
    with pytest.raises(FileNotFoundError, match='fnac_r18_synthav_short'):
        build_mask_model(cfg.model, str(ckpt) + '.missing', 0)


def test_cli_writes_the_figure_and_the_shares(asl_setup, tmp_path: Path) -> None:
    config, ckpt = asl_setup
    out = tmp_path / 'fig.png'
    args = ['tools/analysis/visualize_masks.py', str(config), '--checkpoint', str(ckpt)]
    proc = run_tool([*args, '--out', str(out), '--num-clips', '2'], cwd=REPO, timeout=300)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    with Image.open(out) as image:
        assert image.format == 'PNG' and image.size[0] > 400 and image.size[1] > 400
    lines = proc.stdout.strip().splitlines()
    assert sum('kept in box: ASL' in line for line in lines) == 2
    match = LAST.match(lines[-1])
    assert match, lines[-1]
    assert all(0.0 <= float(match.group(i)) <= 1.0 for i in (1, 2, 3))
    assert int(match.group(4)) == 2
    # Stats only (no figure); the checkpoint comes from model.localizer.checkpoint.
    proc = run_tool(
        ['tools/analysis/visualize_masks.py', str(config), '--stats-clips', '4'],
        cwd=REPO,
        timeout=300,
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    match = LAST.match(proc.stdout.strip().splitlines()[-1])
    assert match and int(match.group(4)) == 4
    assert all(0.0 <= float(match.group(i)) <= 1.0 for i in (1, 2, 3))
    assert 'wrote' not in proc.stdout
