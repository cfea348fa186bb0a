"""Bad checkpoints given to the tools: a malicious pickle is refused by every entry point (no
code runs), a checkpoint of another model names the mismatch."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import torch
from helpers import REPO, load_tool, tiny_train_config, write_malicious_checkpoint
from mmengine.config import Config

from avssl.apis import init_localizer
from avssl.registry import MODELS
from avssl.utils.safe_load import UnsafeCheckpointError

AV_CONFIG = 'configs/sup_tiny_synthav_5shot_av.py'
FNAC_CONFIG = 'configs/fnac_r18_synthav_short.py'
REFUSED = re.compile(
    r'refused to load checkpoint \S*evil\.pth: unpickling it would call posix\.system'
)


def _tool(path: str) -> ModuleType:
    return load_tool(path)


def _run(args: list[str]) -> subprocess.CompletedProcess:
    """Run a tool with torch's weights_only default switched off, as a careless user might."""
    env = {**os.environ, 'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD': '1'}
    return subprocess.run(
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.fixture()
def evil(tmp_path: Path) -> tuple[Path, Path]:
    marker = tmp_path / 'pwned'
    return write_malicious_checkpoint(tmp_path / 'evil.pth', marker), marker


@pytest.fixture(scope='module')
def av_cfg(tiny_synthav: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny AV config on the tiny SynthAV set (4 classes), dumped."""
    work = tmp_path_factory.mktemp('av')
    cfg = tiny_train_config(AV_CONFIG, tiny_synthav, work, max_iters=2, num_workers=0)
    cfg.dump(str(work / 'cfg.py'))
    return work / 'cfg.py'


@pytest.mark.slow
def test_test_tool_refuses_a_malicious_checkpoint(
    av_cfg: Path, evil: tuple[Path, Path], tmp_path: Path
) -> None:
    path, marker = evil
    proc = _run(['tools/test.py', str(av_cfg), str(path), '--work-dir', str(tmp_path / 'w')])
    assert proc.returncode != 0
    assert 'UnsafeCheckpointError' in proc.stderr and REFUSED.search(proc.stderr), proc.stderr[
        -3000:
    ]
    assert not marker.exists()


@pytest.mark.slow
def test_train_tool_resume_refuses_a_malicious_checkpoint(
    av_cfg: Path, evil: tuple[Path, Path], tmp_path: Path
) -> None:
    path, marker = evil
    proc = _run(
        ['tools/train.py', str(av_cfg), '--work-dir', str(tmp_path / 'w'), '--resume', str(path)]
    )
    assert proc.returncode != 0
    assert REFUSED.search(proc.stderr), proc.stderr[-3000:]
    assert not marker.exists()
    assert not list((tmp_path / 'w').glob('iter_*.pth'))  # nothing was trained


def test_demo_refuses_a_malicious_checkpoint(
    evil: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path, marker = evil
    demo = _tool('tools/demo/demo_av.py')
    assert demo.main([str(tmp_path / 'video.mp4'), str(REPO / AV_CONFIG), str(path)]) == 1
    assert REFUSED.search(capsys.readouterr().err)
    assert not marker.exists()
    with pytest.raises(UnsafeCheckpointError, match='posix.system'):  # --localizer-ckpt's path
        init_localizer(str(REPO / FNAC_CONFIG), str(path))
    assert not marker.exists()


@pytest.mark.parametrize(
    'tool',
    ['tools/model_converters/fnac_to_avssl.py', 'tools/model_converters/vit_to_timesformer.py'],
)
def test_converters_refuse_a_malicious_checkpoint(
    tool: str, evil: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path, marker = evil
    assert _tool(tool).main([str(path), str(tmp_path / 'out.pth')]) == 1
    assert REFUSED.search(capsys.readouterr().err)
    assert not marker.exists()
    assert not (tmp_path / 'out.pth').exists()


@pytest.mark.slow
def test_test_tool_names_the_mismatch_of_another_models_checkpoint(
    av_cfg: Path, tmp_path: Path
) -> None:
    fnac_cfg = Config.fromfile(str(REPO / FNAC_CONFIG)).model
    fnac = MODELS.build(dict(fnac_cfg, width_mult=0.125, embed_dim=16))  # small, same keys
    path = tmp_path / 'fnac.pth'
    torch.save({'state_dict': fnac.state_dict(), 'meta': {}}, path)
    n_fnac = len(fnac.state_dict())
    proc = _run(['tools/test.py', str(av_cfg), str(path), '--work-dir', str(tmp_path / 'w')])
    assert proc.returncode != 0
    found = re.search(
        r'CheckpointMismatchError: checkpoint \S*fnac\.pth does not fit AVRecognizer: '
        r'(\d+) missing keys \((backbone\.[^,]+, ){4}[^,]+, \.\.\.\); '
        r'(\d+) unexpected keys \(((visual|audio)_\w+\.[^,]+, ){4}[^,]+, \.\.\.\)',
        proc.stderr,
    )
    assert found, proc.stderr[-3000:]
    assert int(found.group(3)) == n_fnac
    assert int(found.group(1)) > 10
    assert 'acc/top1' not in proc.stdout + proc.stderr  # it did not test random weights
