"""kill -9 of a semi-supervised tools/train.py run, then --resume: the final checkpoint is bit
identical to an uninterrupted run's; a second run on a live run's work dir is refused."""

from __future__ import annotations

import contextlib
import math
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from helpers import REPO, run_tool, tiny_train_config
from mmengine.logging import HistoryBuffer

CONFIG = 'configs/avssl_tiny_synthav_1shot_tube_contrast.py'
MAX_ITERS = 4
INTERVAL = 2
#: Timing scalars differ between runs; everything else in the message hub must not.
TIMING = {'train/time', 'train/data_time'}


def _semi_config(data: Path, work: Path) -> Path:
    cfg = tiny_train_config(CONFIG, data, work, max_iters=MAX_ITERS, batch_size=6)
    cfg.train_dataloader.sampler.batch_size = 6
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=INTERVAL, by_epoch=False)
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    cfg.dump(str(work / 'cfg.py'))
    return work / 'cfg.py'


def _start(args: list[str], log: Path) -> subprocess.Popen:
    """Start ``python <args>`` in its own process group (so its workers can be killed too)."""
    with open(log, 'w') as out:
        return subprocess.Popen(
            [sys.executable, *args], cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def _kill(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)


def _wait_for(condition: Any, proc: subprocess.Popen, log: Path, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, f'the run ended early:\n{log.read_text()[-3000:]}'
        assert time.monotonic() < deadline, f'timed out:\n{log.read_text()[-3000:]}'
        time.sleep(0.05)


def _assert_same(a: Any, b: Any, path: str) -> None:
    """Exact equality of nested checkpoint content (tensors bit for bit)."""
    if torch.is_tensor(a):
        assert torch.is_tensor(b) and a.dtype == b.dtype and a.shape == b.shape, path
        assert torch.equal(a, b), path
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b, err_msg=path)
    elif isinstance(a, HistoryBuffer):
        _assert_same(a.data, b.data, path)
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for key in a:
            _assert_same(a[key], b[key], f'{path}.{key}')
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _assert_same(x, y, f'{path}.{i}')
    elif isinstance(a, float) and math.isnan(a):
        assert math.isnan(b), path
    else:
        assert a == b, path


@pytest.fixture(scope='module')
def uninterrupted(tiny_synthav: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp('uninterrupted')
    proc = run_tool(['tools/train.py', str(_semi_config(tiny_synthav, work))], cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return work


@pytest.mark.slow
def test_kill_9_then_resume_is_bit_identical(
    uninterrupted: Path, tiny_synthav: Path, tmp_path: Path
) -> None:
    cfg = _semi_config(tiny_synthav, tmp_path)
    run = _start(['tools/train.py', str(cfg)], tmp_path / 'killed.log')
    try:
        first = tmp_path / f'iter_{INTERVAL}.pth'
        marker = tmp_path / 'last_checkpoint'  # written after the checkpoint itself
        _wait_for(
            lambda: marker.is_file() and marker.read_text().strip() == str(first),
            run,
            tmp_path / 'killed.log',
        )
        assert run.poll() is None and not (tmp_path / f'iter_{MAX_ITERS}.pth').exists()
    finally:
        _kill(run)  # SIGKILL mid-run: no clean-up of any kind
    assert (tmp_path / 'train.lock').read_text().startswith(f'{run.pid} ')  # stale lock left

    proc = run_tool(['tools/train.py', str(cfg), '--resume'], cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-4000:]
    resumed_at = re.search(r'resumed epoch: \d+, iter: (\d+)', proc.stdout + proc.stderr)
    assert resumed_at and int(resumed_at.group(1)) >= INTERVAL, (proc.stdout + proc.stderr)[-3000:]

    full = torch.load(uninterrupted / f'iter_{MAX_ITERS}.pth', weights_only=True)
    resumed = torch.load(tmp_path / f'iter_{MAX_ITERS}.pth', weights_only=True)
    start = torch.load(first, weights_only=True)
    for key in ('state_dict', 'optimizer', 'param_schedulers', 'random_states'):
        _assert_same(full[key], resumed[key], key)
    for key in ('iter', 'epoch', 'seed'):
        assert full['meta'][key] == resumed['meta'][key], key
    hub_full, hub_resumed = full['message_hub'], resumed['message_hub']
    assert hub_full['log_scalars'].keys() == hub_resumed['log_scalars'].keys()
    for name, history in hub_full['log_scalars'].items():
        if name not in TIMING:
            _assert_same(history, hub_resumed['log_scalars'][name], name)
    for key in ('iter', 'epoch', 'max_iters', 'loop_stage'):
        assert hub_full['runtime_info'][key] == hub_resumed['runtime_info'][key], key
    # The comparison covers every part that training changes after the checkpoint.
    state = full['state_dict']
    changed = {
        k.split('.')[0]
        for k, v in state.items()
        if torch.is_tensor(v) and not torch.equal(v, start['state_dict'][k])
    }
    assert {'student', 'teacher'} <= changed, changed
    # the mixer's generator state (one packed uint8 tensor) moved on after the checkpoint
    assert not torch.equal(state['mixer._extra_state'], start['state_dict']['mixer._extra_state'])
    assert 'threshold.selected' in state


@pytest.mark.slow
def test_second_run_on_a_live_work_dir_is_refused(tiny_synthav: Path, tmp_path: Path) -> None:
    cfg = _semi_config(tiny_synthav, tmp_path)
    live = _start(
        ['tools/train.py', str(cfg), '--cfg-options', 'train_cfg.max_iters=100000'],
        tmp_path / 'live.log',
    )
    try:
        lock = tmp_path / 'train.lock'
        _wait_for(
            lambda: lock.is_file() and lock.read_text().startswith(f'{live.pid} '),
            live,
            tmp_path / 'live.log',
        )
        proc = run_tool(['tools/train.py', str(cfg)], cwd=REPO)
        assert live.poll() is None, 'the first run must still hold the work dir'
    finally:
        _kill(live)
    assert proc.returncode != 0
    assert (
        f'WorkDirInUseError: work dir {tmp_path} is in use by a running training (lock file '
        f'{tmp_path / "train.lock"}: pid host started = {live.pid} '
    ) in proc.stderr, proc.stderr[-3000:]
