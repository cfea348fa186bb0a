"""run_grid.py's summary: mean and std over seeds, and train-only (--no-test) cells."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from helpers import load_tool


def _run(monkeypatch: pytest.MonkeyPatch, argv: list[str], top1: dict[int, float]) -> None:
    module = load_tool('tools/experiments/run_grid.py')

    def fake(config: str, seed: int, work_root: str, options: list, test: bool = True) -> dict:
        return {'acc/top1': top1[seed] if test else float('nan'), 'train_seconds': 10.0}

    monkeypatch.setattr(module, 'train_and_test', fake)
    monkeypatch.setattr(sys, 'argv', ['run_grid.py', *argv])
    module.main()


def test_summary_gives_mean_and_std_over_seeds(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, tmp_path: Path
) -> None:
    out = tmp_path / 'grid.json'
    argv = ['--configs', 'configs/a.py', '--seeds', '0', '1', '--out', str(out)]
    _run(monkeypatch, argv, {0: 0.20, 1: 0.30})
    # mean 25.00, sample std of (20, 30) = 7.07
    assert '| a.py | 2 | 25.00 +- 7.07 | 20.00, 30.00 | 10 |' in capsys.readouterr().out
    assert json.loads(out.read_text())['configs/a.py']['1']['acc/top1'] == 0.30


def test_train_only_cells_are_reported_as_not_tested(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    _run(monkeypatch, ['--configs', 'configs/a.py', '--seeds', '0', '1', '--no-test'], {})
    assert '| a.py | 2 | not tested | - | - |' in capsys.readouterr().out
