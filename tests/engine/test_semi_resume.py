"""Tiny semi-supervised configs (SVFormer; the audio-visual method): a real run, and resume
after 3 of 6 iterations is exact."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import torch
from helpers import REPO, run_tool, tiny_train_config

#: (config, model keys set on top of it): the last adds distribution alignment, whose running
#: marginal must survive the resume too
CONFIGS = [
    ('configs/svformer_tiny_synthav_1shot_flex.py', {}),
    ('configs/avssl_tiny_synthav_1shot_tube_contrast.py', {}),
    (
        'configs/avssl_tiny_synthav_1shot_tube_contrast.py',
        {'dist_align_cfg': dict(type='DistributionAlignment', momentum=0.5)},
    ),
]


def _id(param: tuple[str, dict]) -> str:
    return Path(param[0]).stem + ''.join(f'+{key}' for key in param[1])


def _semi_config(config: tuple[str, dict], data: Path, work: Path, max_iters: int) -> Path:
    path, model = config
    cfg = tiny_train_config(path, data, work, max_iters=max_iters, batch_size=6)
    cfg.model.update(model)
    cfg.train_dataloader.sampler.batch_size = 6
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=3, by_epoch=False)
    cfg.val_cfg = None
    cfg.val_dataloader = None
    cfg.val_evaluator = None
    cfg.dump(str(work / 'cfg.py'))
    return work / 'cfg.py'


@pytest.fixture(scope='module', params=CONFIGS, ids=_id)
def full_run(
    request: pytest.FixtureRequest, tiny_synthav: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[tuple[str, dict], Path]:
    work = tmp_path_factory.mktemp('semi_full')
    cfg = _semi_config(request.param, tiny_synthav, work, 6)
    proc = run_tool(['tools/train.py', str(cfg)], cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return request.param, work


def test_semi_run_logs_named_losses_and_diagnostics(
    full_run: tuple[tuple[str, dict], Path],
) -> None:
    (config, model), full_run = full_run
    log = next(full_run.rglob('*.log')).read_text()
    names = ['loss_sup', 'loss_unlabeled', 'loss_mix', 'pass_rate', 'pseudo_acc', 'mix_lambda']
    if 'contrast' in config:
        names += ['loss_contrast', 'contrast_acc']
    if 'dist_align_cfg' in model:
        names += ['pseudo_acc_raw']
    for name in names:
        assert name in log, name
    ckpt = torch.load(full_run / 'iter_6.pth', weights_only=True, map_location='cpu')
    keys = ckpt['state_dict'].keys()
    assert any(k.startswith('teacher.') for k in keys)
    assert 'threshold.selected' in keys
    if 'dist_align_cfg' in model:  # the running marginal (4 classes) left the uniform start
        marginal = ckpt['state_dict']['dist_align.model_marginal']
        assert marginal.shape == (4,) and not torch.allclose(marginal, torch.full((4,), 0.25))
    assert ckpt['state_dict']['threshold.selected'].shape == (20,)  # the unlabeled 1-shot list
    if 'svformer' in config:  # (the AV network's random start stays below tau for 6 steps)
        assert (ckpt['state_dict']['threshold.selected'] >= 0).any(), 'FlexMatch learned nothing'


def test_resume_after_3_of_6_iterations_is_exact(
    full_run: tuple[tuple[str, dict], Path], tiny_synthav: Path, tmp_path: Path
) -> None:
    config, full_run = full_run
    cfg = _semi_config(config, tiny_synthav, tmp_path, 6)
    shutil.copy(full_run / 'iter_3.pth', tmp_path / 'start.pth')
    proc = run_tool(['tools/train.py', str(cfg), '--resume', str(tmp_path / 'start.pth')], cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-4000:]
    full = torch.load(full_run / 'iter_6.pth', weights_only=True, map_location='cpu')
    resumed = torch.load(tmp_path / 'iter_6.pth', weights_only=True, map_location='cpu')
    start = torch.load(tmp_path / 'start.pth', weights_only=True, map_location='cpu')
    assert full['state_dict'].keys() == resumed['state_dict'].keys()
    changed = 0
    for key, value in full['state_dict'].items():
        if isinstance(value, torch.Tensor):
            assert torch.equal(value, resumed['state_dict'][key]), key
            changed += not torch.equal(value, start['state_dict'][key])
        else:  # generator states of the mixer and the warp
            assert str(value) == str(resumed['state_dict'][key]), key
    groups = {
        k.split('.')[0]
        for k, v in full['state_dict'].items()
        if isinstance(v, torch.Tensor) and not torch.equal(v, start['state_dict'][k])
    }
    expected = {'student', 'teacher'} | ({'threshold'} if 'svformer' in config[0] else set())
    if 'dist_align_cfg' in config[1]:
        expected.add('dist_align')
    assert expected <= groups, groups
    assert changed > 0
