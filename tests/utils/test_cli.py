"""Command-line handling: strict --cfg-options, checkpoint paths, AMP on CPU."""

from __future__ import annotations

from pathlib import Path

import pytest
from mmengine.config import Config

from avssl.utils.cli import (
    ConfigKeyError,
    check_cfg_options,
    enable_amp,
    load_config,
    resolve_checkpoint,
)


@pytest.fixture
def cfg() -> Config:
    return Config(
        dict(
            model=dict(backbone=dict(type='TimeSformer', embed_dims=96)),
            train_cfg=dict(max_iters=10),
            train_dataloader=dict(dataset=dict(pipeline=[dict(type='DecordInit')])),
            optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1)),
        )
    )


def test_existing_keys_and_new_leaves_pass(cfg: Config) -> None:
    check_cfg_options(
        cfg,
        {
            'model.backbone.embed_dims': 64,
            'model.backbone.pretrained': 'x.pth',  # new keyword of an existing dict
            'train_dataloader.dataset.pipeline.0.type': 'DecordInit',
            'load_from': 'a.pth',  # a Runner key not in this config
        },
    )


@pytest.mark.parametrize(
    'key, message',
    [
        ('modle.backbone.embed_dims', 'no key modle (did you mean model?)'),
        ('train_cfg.max_iter.x', 'no key train_cfg.max_iter'),
        ('trian_cfg', 'no key trian_cfg (did you mean train_cfg?)'),
        ('train_dataloader.dataset.pipeline.3.type', 'not an index of a list of length 1'),
        ('train_cfg.max_iters.x', 'train_cfg.max_iters is a int, not a dict'),
    ],
)
def test_wrong_keys_are_named(cfg: Config, key: str, message: str) -> None:
    with pytest.raises(ConfigKeyError) as info:
        check_cfg_options(cfg, {key: 1})
    assert message in str(info.value)
    assert key in str(info.value)


def test_missing_checkpoint_is_named(tmp_path: Path) -> None:
    missing = tmp_path / 'nope.pth'
    with pytest.raises(FileNotFoundError, match=f'load_from: checkpoint file not found: {missing}'):
        resolve_checkpoint(str(missing), 'load_from')
    with pytest.raises(FileNotFoundError, match='without a last_checkpoint'):
        resolve_checkpoint(str(tmp_path))


def test_work_dir_resolves_to_last_checkpoint(tmp_path: Path) -> None:
    ckpt = tmp_path / 'iter_4.pth'
    ckpt.write_bytes(b'x')
    (tmp_path / 'last_checkpoint').write_text(str(ckpt))
    assert resolve_checkpoint(str(tmp_path)) == str(ckpt)


def test_amp_refused_without_cuda(cfg: Config) -> None:
    import torch

    if torch.cuda.is_available():
        enable_amp(cfg)
        assert cfg.optim_wrapper.type == 'AmpOptimWrapper'
    else:
        with pytest.raises(RuntimeError, match='--amp needs a CUDA device'):
            enable_amp(cfg)


def test_load_config_merges_checked_options(tmp_path: Path) -> None:
    path = tmp_path / 'c.py'
    path.write_text("model = dict(type='M', depth=2)\ntrain_cfg = dict(max_iters=5)\n")
    cfg = load_config(str(path), {'model.depth': 4, 'train_cfg.max_iters': 7})
    assert cfg.model.depth == 4 and cfg.train_cfg.max_iters == 7
    assert load_config(str(path)).model.depth == 2
    with pytest.raises(ConfigKeyError, match='modle'):
        load_config(str(path), {'modle.depth': 4})
