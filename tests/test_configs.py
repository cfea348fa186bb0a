"""Every config in configs/ loads, names registered types, and builds its model.

ViT-B models are built on the ``meta`` device: parameters get shapes but no memory.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import MODEL_WRAPPERS as ROOT_MODEL_WRAPPERS

from avssl.registry import (
    DATA_SAMPLERS,
    DATASETS,
    HOOKS,
    LOOPS,
    METRICS,
    MODELS,
    OPTIMIZERS,
    PARAM_SCHEDULERS,
    TRANSFORMS,
)

CONFIG_DIR = Path(__file__).resolve().parents[1] / 'configs'
CONFIGS = sorted(p for p in CONFIG_DIR.rglob('*.py') if '_base_' not in p.parts)


def _types(node: Any) -> list[str]:
    """All ``type`` values in a nested config node."""
    found: list[str] = []
    if isinstance(node, dict):
        if isinstance(node.get('type'), str):
            found.append(node['type'])
        for value in node.values():
            found += _types(value)
    elif isinstance(node, list | tuple):
        for value in node:
            found += _types(value)
    return found


def _steps(pipeline: list) -> list[str]:
    """Transform types of a pipeline, including those of MultiBranch branch pipelines."""
    return _types(pipeline)


def _check_registered(registry: Any, type_name: str, where: str) -> None:
    assert registry.get(type_name) is not None, f'{where}: {type_name} is not registered'


def test_there_are_configs() -> None:
    assert CONFIGS, 'no configs found'


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: str(p.relative_to(CONFIG_DIR)))
def test_config_builds(path: Path) -> None:
    cfg = Config.fromfile(str(path))
    assert cfg.default_scope == 'avssl'
    for split in ('train', 'val', 'test'):
        loader = cfg.get(f'{split}_dataloader')
        if loader is None:
            continue
        _check_registered(DATASETS, loader['dataset']['type'], f'{split}_dataloader.dataset')
        dataset = loader['dataset']
        parts = [dataset[k] for k in ('labeled', 'unlabeled') if k in dataset] or [dataset]
        for part in parts:
            _check_registered(DATASETS, part['type'], f'{split}_dataloader.dataset part')
            for step in _steps(part.get('pipeline', [])):
                _check_registered(TRANSFORMS, step, f'{split} pipeline')
        _check_registered(DATA_SAMPLERS, loader['sampler']['type'], f'{split} sampler')
    for hook in list(cfg.get('custom_hooks', [])) + list(cfg.get('default_hooks', {}).values()):
        if hook is not None:  # `None` removes a default hook
            _check_registered(HOOKS, hook['type'], 'hooks')
    for key in ('val_evaluator', 'test_evaluator'):
        for metric_type in _types(cfg.get(key)):
            _check_registered(METRICS, metric_type, key)
    _check_registered(OPTIMIZERS, cfg.optim_wrapper['optimizer']['type'], 'optimizer')
    for sched in cfg.get('param_scheduler', []):
        _check_registered(PARAM_SCHEDULERS, sched['type'], 'param_scheduler')
    _check_registered(LOOPS, cfg.train_cfg['type'], 'train_cfg')
    wrapper = cfg.model_wrapper_cfg['type']
    assert ROOT_MODEL_WRAPPERS.get(wrapper) is not None, wrapper  # as the Runner looks it up

    device = 'meta' if 'vitb' in path.name else 'cpu'
    with torch.device(device):
        model = MODELS.build(cfg.model)
    n_params = sum(p.numel() for p in model.parameters())
    assert n_params > 0
    if device == 'cpu':
        assert all(p.device.type == 'cpu' for p in model.parameters())


def test_tiny_method_localizer_matches_the_fnac_config_that_trains_it() -> None:
    method = Config.fromfile(str(CONFIG_DIR / 'avssl_tiny_synthav_1shot.py'))
    fnac = Config.fromfile(str(CONFIG_DIR / 'fnac_r18_synthav_short.py'))
    loc = dict(method.model.localizer)
    assert loc['config'] == 'configs/fnac_r18_synthav_short.py'
    # the shipped weights of that run (tools/pretrain/synthav_pretrain.py trains and packages it)
    manifest = json.loads(
        (CONFIG_DIR.parent / 'checkpoints/synthav_pretrained/manifest.json').read_text()
    )
    entry = manifest['files']['localizer']
    assert loc['checkpoint'] == f'checkpoints/synthav_pretrained/{entry["file"]}'
    assert 'configs/fnac_r18_synthav_short.py' in entry['task']
    assert fnac.work_dir == 'work_dirs/fnac_r18_synthav_short'
    for key in ('type', 'embed_dim', 'tau', 'width_mult', 'visual_last_stride'):
        assert loc[key] == fnac.model[key], key
    assert tuple(loc['input_size']) == tuple(fnac.model['input_size'])
    # the map the mix reads is the map the localizer was trained and evaluated with
    assert loc.get('map_sigma', 0.0) == fnac.model.get('map_sigma', 0.0)


def test_fnac_full_schedule_trains_on_its_own_set_and_evaluates_on_synthav() -> None:
    # The long FNAC schedule trains on a separate unlabeled SynthAV set (another generator
    # seed), so no clip of the semi-supervised data's val / test lists is seen in training.
    cfg = Config.fromfile(str(CONFIG_DIR / 'fnac_r18_synthav.py'))
    train = cfg.train_dataloader.dataset
    assert train.data_root == 'data/synthav_loc'
    assert train.generator_cfg['seed'] != cfg.test_dataloader.dataset.generator_cfg['seed']
    assert train.generator_cfg['val_fraction'] == train.generator_cfg['test_fraction'] == 0.0
    for split in (cfg.val_dataloader, cfg.test_dataloader):
        assert split.dataset.data_root == 'data/synthav'
    # the FNAC false-negative terms stay off for the whole schedule
    assert cfg.model.warmup_iters >= cfg.train_cfg.max_iters
