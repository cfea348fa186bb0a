"""FiniteGuardHook: a NaN loss stops training before the optimizer step, naming the iteration
and the term; no checkpoint holds non-finite values."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from helpers import REPO, tiny_train_config, toy_runner

from avssl.engine.hooks import FiniteGuardHook
from avssl.utils.finite_check import NonFiniteError, non_finite_tensors


def _nan_at(iteration: int, term: str):
    """A toy ``loss_hook`` making ``term`` NaN at the 1-based ``iteration``."""
    from mmengine.logging import MessageHub

    def hook(losses: dict, model: torch.nn.Module) -> None:
        if MessageHub.get_current_instance().get_info('iter') == iteration - 1:
            losses[term] = losses[term] * math.nan

    return hook


def _checkpoints(work: Path) -> dict[str, dict]:
    return {
        p.name: torch.load(p, weights_only=True, map_location='cpu')
        for p in sorted(work.glob('iter_*.pth'))
    }


def test_nan_term_stops_before_the_step(tmp_path: Path) -> None:
    runner = toy_runner(
        tmp_path, max_iters=5, custom_hooks=[FiniteGuardHook()], loss_hook=_nan_at(3, 'loss_b')
    )
    with pytest.raises(NonFiniteError, match=r'iteration 3: loss_b = nan') as info:
        runner.train()
    assert 'loss_a = ' in str(info.value)  # the finite terms are listed too
    ckpts = _checkpoints(tmp_path)
    assert sorted(ckpts) == ['iter_1.pth', 'iter_2.pth']
    for name, ckpt in ckpts.items():
        assert non_finite_tensors({k: ckpt[k] for k in ('state_dict', 'optimizer')}) == [], name
    # The step of iteration 3 never ran: the weights are those of iteration 2's checkpoint.
    for key, value in runner.model.state_dict().items():
        assert torch.equal(value, ckpts['iter_2.pth']['state_dict'][key]), key


def test_without_the_hook_the_nan_reaches_the_weights(tmp_path: Path) -> None:
    # The control: the same run without the guard trains on and saves NaN weights.
    runner = toy_runner(tmp_path, max_iters=3, loss_hook=_nan_at(3, 'loss_b'))
    runner.train()
    ckpt = torch.load(tmp_path / 'iter_3.pth', weights_only=True)
    assert non_finite_tensors(ckpt['state_dict']) != []


def test_nan_weights_are_never_saved(tmp_path: Path) -> None:
    # A finite loss with NaN weights (e.g. an overflowing gradient): the save is refused.
    def poison(losses: dict, model: torch.nn.Module) -> None:
        from mmengine.logging import MessageHub

        if MessageHub.get_current_instance().get_info('iter') == 1:
            with torch.no_grad():
                model.fc.bias.fill_(math.nan)
            losses['loss_b'] = losses['loss_b'].detach().nan_to_num() + 0 * model.fc.weight.sum()

    runner = toy_runner(tmp_path, max_iters=3, custom_hooks=[FiniteGuardHook()], loss_hook=poison)
    with pytest.raises(NonFiniteError, match=r'refused to save the checkpoint of iteration 2'):
        runner.train()
    assert sorted(_checkpoints(tmp_path)) == ['iter_1.pth']
    assert not list(tmp_path.glob('.iter_2.pth.*'))  # not even a temporary


INJECT = '''
"""Test-only model: AVSemiRecognizer whose loss term ``nan_term`` is NaN at ``nan_iter``."""
from mmengine.logging import MessageHub

from avssl.models.recognizers import AVSemiRecognizer
from avssl.registry import MODELS


@MODELS.register_module()
class NaNAtIterRecognizer(AVSemiRecognizer):
    def __init__(self, nan_iter, nan_term, **kwargs):
        super().__init__(**kwargs)
        self.nan_iter, self.nan_term = nan_iter, nan_term

    def loss(self, inputs, data_samples):
        losses = super().loss(inputs, data_samples)
        if MessageHub.get_current_instance().get_info('iter') == self.nan_iter - 1:
            losses[self.nan_term] = losses[self.nan_term] * float('nan')
        return losses
'''


def test_train_tool_stops_a_semi_run_at_a_nan_term(tiny_synthav: Path, tmp_path: Path) -> None:
    (tmp_path / 'nan_injection.py').write_text(INJECT)
    cfg = tiny_train_config(
        'configs/avssl_tiny_synthav_1shot_tube_contrast.py',
        tiny_synthav,
        tmp_path / 'work',
        max_iters=4,
        batch_size=6,
    )
    cfg.train_dataloader.sampler.batch_size = 6
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    cfg.model.type = 'NaNAtIterRecognizer'
    cfg.model.nan_iter, cfg.model.nan_term = 3, 'loss_contrast'
    cfg.custom_imports = dict(imports=['nan_injection'], allow_failed_imports=False)
    cfg.dump(str(tmp_path / 'cfg.py'))
    env = {**os.environ, 'PYTHONPATH': os.pathsep.join([str(tmp_path), str(REPO)])}
    proc = subprocess.run(
        [sys.executable, 'tools/train.py', str(tmp_path / 'cfg.py')],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode != 0
    assert re.search(
        r'NonFiniteError: non-finite loss at iteration 3: loss_contrast = nan', proc.stderr
    ), proc.stderr[-3000:]
    ckpts = _checkpoints(tmp_path / 'work')
    assert sorted(ckpts) == ['iter_1.pth', 'iter_2.pth']
    for name, ckpt in ckpts.items():
        assert non_finite_tensors({k: ckpt[k] for k in ('state_dict', 'optimizer')}) == [], name
