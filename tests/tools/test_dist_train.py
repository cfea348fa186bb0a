"""tools/dist_train.sh and dist_test.sh with 2 CPU processes (gloo) on tiny configs; an exact
resume of a two-process semi-supervised run."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import torch
from helpers import REPO, tiny_train_config

CONFIG = 'configs/sup_tiny_synthav_5shot_v.py'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _run(args: list[str]) -> subprocess.CompletedProcess:
    env = dict(os.environ, PORT=str(_free_port()), PYTHON=sys.executable, OMP_NUM_THREADS='1')
    return subprocess.run(
        ['bash', *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
    )


def test_two_process_cpu_training_and_testing(tiny_synthav: Path, tmp_path: Path) -> None:
    cfg = tiny_train_config(CONFIG, tiny_synthav, tmp_path, max_iters=2, checkpoint_interval=2)
    cfg.dump(str(tmp_path / 'cfg.py'))
    proc = _run(['tools/dist_train.sh', str(tmp_path / 'cfg.py'), '2'])
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    assert 'Distributed training: True' in out
    assert "'backend': 'gloo'" in out or 'backend=gloo' in out or 'gloo' in out
    ckpt = torch.load(tmp_path / 'iter_2.pth', weights_only=True, map_location='cpu')
    # The checkpoint holds the bare model, not the DDP wrapper.
    assert not any(k.startswith('module.') for k in ckpt['state_dict'])
    assert ckpt['meta']['iter'] == 2

    proc = _run(
        ['tools/dist_test.sh', str(tmp_path / 'cfg.py'), str(tmp_path / 'iter_2.pth'), '2']
        + ['--work-dir', str(tmp_path / 'test')]
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    assert 'acc/top1' in out


SEMI_CONFIG = 'configs/svformer_tiny_synthav_1shot_flex.py'


def _semi_dist_config(data: Path, work: Path) -> Path:
    cfg = tiny_train_config(
        SEMI_CONFIG, data, work, max_iters=4, batch_size=6, checkpoint_interval=2
    )
    cfg.train_dataloader.sampler.batch_size = 6  # 1 labeled + 5 unlabeled clips per rank
    # Every loss from the first step and every pseudo-label passing: the mix and the warp
    # reach the weights.
    cfg.model.unsup_start_iter = 0
    cfg.model.unsup_warmup_iters = 0
    cfg.model.threshold_cfg = dict(type='FixedThreshold', tau=0.0)
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    cfg.dump(str(work / 'cfg.py'))
    return work / 'cfg.py'


def test_two_process_semi_resume_is_exact_on_every_rank(tiny_synthav: Path, tmp_path: Path) -> None:
    full, part = tmp_path / 'full', tmp_path / 'part'
    full.mkdir()
    part.mkdir()
    proc = _run(
        ['tools/dist_train.sh', str(_semi_dist_config(tiny_synthav, full)), '2', '--diff-rank-seed']
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    shutil.copy(full / 'iter_2.pth', part / 'start.pth')
    cfg = _semi_dist_config(tiny_synthav, part)
    proc = _run(
        ['tools/dist_train.sh', str(cfg), '2', '--diff-rank-seed']
        + ['--resume', str(part / 'start.pth')]
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    assert 'Restored random states saved at iteration 2' in out  # (rank 0 logs)

    start = torch.load(part / 'start.pth', weights_only=True)
    ranks = start['random_states']['ranks']
    assert [r['rank'] for r in ranks] == [0, 1]
    for name in ('mixer', 'temporal_warp'):  # each rank drew its own stream
        states = [r['generators'][name]['rng_state'] for r in ranks]
        assert not torch.equal(*states), name
    assert not torch.equal(ranks[0]['global']['torch'], ranks[1]['global']['torch'])

    uninterrupted = torch.load(full / 'iter_4.pth', weights_only=True)
    resumed = torch.load(part / 'iter_4.pth', weights_only=True)
    changed = 0
    for key, value in uninterrupted['state_dict'].items():
        if isinstance(value, torch.Tensor):
            assert torch.equal(value, resumed['state_dict'][key]), key
            changed += not torch.equal(value, start['state_dict'][key])
        else:  # rank 0's generator states
            assert str(value) == str(resumed['state_dict'][key]), key
    assert changed > 0
    # Every rank's module and global states at iteration 4 match the uninterrupted run.
    assert str(uninterrupted['random_states']) == str(resumed['random_states'])
