"""The semi-supervised data path on real files: ratio batches, views, indices, preprocessing."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from helpers import REPO, _point_dataset
from mmengine.config import Config
from mmengine.runner import Runner

from avssl.registry import MODELS

BASE = REPO / 'configs/_base_/datasets/synthav_semi_112.py'


@pytest.fixture(scope='module')
def batch_and_cfg(tiny_synthav: Path) -> tuple[dict, Config]:
    cfg = Config.fromfile(str(BASE))
    loader = cfg.train_dataloader
    _point_dataset(loader.dataset, tiny_synthav)
    loader.batch_size = 6
    loader.sampler.batch_size = 6
    loader.num_workers = 0
    loader.persistent_workers = False
    dataloader = Runner.build_dataloader(loader.to_dict(), seed=0)
    return next(iter(dataloader)), cfg


def test_batch_holds_one_labeled_and_five_unlabeled_items(batch_and_cfg: tuple) -> None:
    batch, _ = batch_and_cfg
    inputs, samples = batch['inputs'], batch['data_samples']
    assert len(inputs) == 6
    labeled = [x for x in inputs if x['labeled'] is not None]
    unlabeled = [x for x in inputs if x['weak'] is not None]
    assert len(labeled) == 1 and len(unlabeled) == 5
    assert all(x['strong'] is not None and x['labeled'] is None for x in unlabeled)
    assert all(x['weak'] is None for x in labeled)
    assert set(samples[0]) == {'labeled', 'weak', 'strong'}


def test_unlabeled_items_carry_their_index_in_the_unlabeled_list(
    batch_and_cfg: tuple, tiny_synthav: Path
) -> None:
    batch, _ = batch_and_cfg
    lines = (tiny_synthav / 'train_unlabeled_1shot.txt').read_text().split('\n')
    for item in batch['data_samples']:
        if item['weak'] is None:
            assert 'unlabeled_index' not in item['labeled'].metainfo
            continue
        weak, strong = item['weak'].metainfo, item['strong'].metainfo
        index = weak['unlabeled_index']
        assert index == strong['unlabeled_index']
        assert weak['filename'] == strong['filename']
        assert weak['filename'].endswith(lines[index].split()[0])


def test_branches_are_preprocessed_separately(batch_and_cfg: tuple) -> None:
    batch, cfg = batch_and_cfg
    preprocessor = MODELS.build(
        dict(
            type='MultiBranchDataPreprocessor',
            data_preprocessor=dict(
                type='AVDataPreprocessor', mean=[114.75] * 3, std=[57.375] * 3, format_shape='NCTHW'
            ),
        )
    )
    out = preprocessor(batch, training=True)
    inputs = out['inputs']
    assert inputs['labeled']['imgs'].shape == (1, 1, 3, 8, 112, 112)
    assert inputs['weak']['imgs'].shape == (5, 1, 3, 8, 112, 112)
    assert inputs['strong']['audio'].shape == (5, 1, 1, 256, 128)
    assert inputs['strong']['asl_audio'].shape == (5, 1, 48000)
    assert 'asl_audio' not in inputs['weak']
    assert inputs['weak']['imgs'].abs().max() < 10  # normalised, not 0..255
    # SpecAugment touches the strong audio only: whole masked bands are exactly zero there.
    strong_zero_cols = (inputs['strong']['audio'] == 0).all(dim=-2).any()
    weak_zero_cols = (inputs['weak']['audio'] == 0).all(dim=-2).any()
    assert strong_zero_cols and not weak_zero_cols
    # The strong view is an independently sampled, flipped clip: not the weak view.
    assert not torch.equal(inputs['weak']['imgs'], inputs['strong']['imgs'])
    assert len(out['data_samples']['weak']) == 5
