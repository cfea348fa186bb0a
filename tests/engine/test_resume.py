"""Checkpoints of a real tiny run: weights_only loading, exact resume, tools/test.py."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
import torch
from helpers import REPO, run_tool, tiny_train_config

CONFIG = 'configs/sup_tiny_synthav_5shot_v.py'


@pytest.fixture(scope='module')
def uninterrupted(tiny_synthav: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 4-iteration run with checkpoints at iterations 2 and 4."""
    work = tmp_path_factory.mktemp('full')
    cfg = tiny_train_config(CONFIG, tiny_synthav, work, max_iters=4, checkpoint_interval=2)
    cfg.dump(str(work / 'cfg.py'))
    proc = run_tool(['tools/train.py', str(work / 'cfg.py')], cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert (work / 'iter_4.pth').is_file()
    return work


def test_checkpoint_loads_with_weights_only(uninterrupted: Path) -> None:
    ckpt = torch.load(uninterrupted / 'iter_2.pth', weights_only=True, map_location='cpu')
    assert ckpt['meta']['iter'] == 2
    assert {'state_dict', 'optimizer', 'message_hub', 'random_states'} <= set(ckpt)


def test_allow_list_still_refuses_other_objects(tmp_path: Path) -> None:
    path = tmp_path / 'evil.pth'
    torch.save({'obj': Path('x')}, path)
    with pytest.raises(pickle.UnpicklingError, match='PosixPath'):
        torch.load(path, weights_only=True)


def test_resume_matches_uninterrupted_run(
    uninterrupted: Path, tiny_synthav: Path, tmp_path: Path
) -> None:
    cfg = tiny_train_config(CONFIG, tiny_synthav, tmp_path, max_iters=4, checkpoint_interval=2)
    cfg.dump(str(tmp_path / 'cfg.py'))
    shutil.copy(uninterrupted / 'iter_2.pth', tmp_path / 'start.pth')
    proc = run_tool(
        ['tools/train.py', str(tmp_path / 'cfg.py'), '--resume', str(tmp_path / 'start.pth')],
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert 'resumed' in (proc.stdout + proc.stderr).lower()
    full = torch.load(uninterrupted / 'iter_4.pth', weights_only=True, map_location='cpu')
    resumed = torch.load(tmp_path / 'iter_4.pth', weights_only=True, map_location='cpu')
    assert full['state_dict'].keys() == resumed['state_dict'].keys()
    for key, value in full['state_dict'].items():
        assert torch.equal(value, resumed['state_dict'][key]), key
    start = torch.load(tmp_path / 'start.pth', weights_only=True, map_location='cpu')
    changed = [
        k for k, v in start['state_dict'].items() if not torch.equal(v, full['state_dict'][k])
    ]
    assert changed, 'iterations 3-4 changed no weight: the comparison would prove nothing'
    for group_full, group_res in zip(
        full['optimizer']['state'].values(), resumed['optimizer']['state'].values(), strict=True
    ):
        for name, value in group_full.items():
            assert torch.equal(torch.as_tensor(value), torch.as_tensor(group_res[name])), name


def test_test_tool_reports_top1_and_dumps(
    uninterrupted: Path, tiny_synthav: Path, tmp_path: Path
) -> None:
    dump = tmp_path / 'preds.pkl'
    proc = run_tool(
        [
            'tools/test.py',
            str(uninterrupted / 'cfg.py'),
            str(uninterrupted / 'iter_4.pth'),
            '--work-dir',
            str(tmp_path / 'test'),
            '--dump',
            str(dump),
            '--cfg-options',
            'test_dataloader.num_workers=0',
        ],
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert 'acc/top1' in proc.stdout + proc.stderr
    with open(dump, 'rb') as f:
        preds = pickle.load(f)
    n_test = len((tiny_synthav / 'test.txt').read_text().split()) // 2
    assert len(preds) == n_test
    assert preds[0]['pred_scores']['item'].shape == (4,)
    assert abs(float(preds[0]['pred_scores']['item'].sum()) - 1.0) < 1e-4


def test_test_tool_names_missing_checkpoint(uninterrupted: Path, tmp_path: Path) -> None:
    proc = run_tool(
        ['tools/test.py', str(uninterrupted / 'cfg.py'), str(tmp_path / 'none.pth')], cwd=REPO
    )
    assert proc.returncode != 0
    assert f'checkpoint: checkpoint file not found: {tmp_path / "none.pth"}' in proc.stderr


def test_train_tool_names_wrong_cfg_option(uninterrupted: Path) -> None:
    proc = run_tool(
        ['tools/train.py', str(uninterrupted / 'cfg.py'), '--cfg-options', 'train_cfg.max_iter=3'],
        cwd=REPO,
    )
    # max_iter is a new leaf in an existing dict: the loop itself must reject it by name.
    assert proc.returncode != 0
    assert 'max_iter' in proc.stderr
    proc = run_tool(
        ['tools/train.py', str(uninterrupted / 'cfg.py'), '--cfg-options', 'modle.x=3'], cwd=REPO
    )
    assert proc.returncode != 0
    assert 'no key modle (did you mean model?)' in proc.stderr
