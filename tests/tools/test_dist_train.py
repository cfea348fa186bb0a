"""tools/dist_train.sh and dist_test.sh with 2 CPU processes (gloo) on a tiny config."""

from __future__ import annotations

import os
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
