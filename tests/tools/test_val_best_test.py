"""tools/analysis/val_best_test.py: every row read at its validation-chosen checkpoint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import load_tool

TOOL = load_tool('tools/analysis/val_best_test.py')


def _run(root: Path, seed: int, vals: dict[int, float], last_top1: float) -> Path:
    """A finished grid cell: a scalar log with validations, checkpoints, the last test."""
    run = root / f'seed{seed}'
    logs = run / '20261205_000000' / 'vis_data'
    logs.mkdir(parents=True)
    records = []
    for step, value in sorted(vals.items()):
        records.append({'lr': 1e-4, 'step': step})
        records.append({'acc/top1': value, 'step': 0})  # mmengine logs val with step 0
    (logs / 'scalars.json').write_text('\n'.join(json.dumps(r) for r in records) + '\n')
    for step in vals:
        (run / f'iter_{step}.pth').write_bytes(b'')
    (run / 'test').mkdir()
    (run / 'test' / 'test_metrics.json').write_text(json.dumps({'acc/top1': last_top1}))
    return run


def _cached_val_best(run: Path, iteration: int, top1: float) -> None:
    """The test of an earlier checkpoint, as the tool caches it."""
    folder = run / 'test_val_best'
    folder.mkdir()
    metrics = {'acc/top1': top1, 'checkpoint': f'iter_{iteration}.pth'}
    (folder / 'test_metrics.json').write_text(json.dumps(metrics))


def test_best_iteration_and_ties_go_to_the_later_checkpoint(tmp_path: Path) -> None:
    run = _run(tmp_path, 0, {200: 0.70, 400: 0.66}, 0.65)
    assert TOOL.val_best_iteration(run) == (200, {200: 0.70, 400: 0.66})
    tie = _run(tmp_path, 1, {200: 0.68, 400: 0.68}, 0.65)
    assert TOOL.val_best_iteration(tie)[0] == 400


def test_rows_paired_at_last_and_at_the_val_chosen_checkpoint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # labeled-only peaks early in seed 0 (its chosen test 0.70 replaces 0.64), not in seed 1
    lab = tmp_path / 'labeled'
    _cached_val_best(_run(lab, 0, {200: 0.72, 400: 0.64}, 0.64), 200, 0.70)
    _run(lab, 1, {200: 0.60, 400: 0.66}, 0.66)
    semi = tmp_path / 'semi'
    _run(semi, 0, {200: 0.68, 400: 0.74}, 0.72)
    _run(semi, 1, {200: 0.62, 400: 0.70}, 0.69)
    out = tmp_path / 'out.json'
    argv = ['--row', 'lab', 'cfg.py', str(lab), '--row', 'semi', 'cfg.py', str(semi)]
    assert TOOL.main([*argv, '--seeds', '0', '1', '--out', str(out)]) == 0
    result = json.loads(out.read_text())
    assert result['rows']['lab']['0']['chosen'] == 200
    assert result['rows']['lab']['0']['val_best_top1'] == pytest.approx(70.0)
    last = result['differences']['semi - lab']['last_top1']
    best = result['differences']['semi - lab']['val_best_top1']
    assert last['diffs'] == pytest.approx([8.0, 3.0])  # 72 - 64, 69 - 66
    assert best['diffs'] == pytest.approx([2.0, 3.0])  # 72 - 70, 69 - 66
    assert best['mean'] == pytest.approx(2.5) and best['wins'] == 2
    printed = capsys.readouterr().out
    assert '| semi - lab | +5.50 +- 3.54 (2 of 2) | +2.50 +- 0.71 (2 of 2) |' in printed


def test_missing_inputs_name_the_file(tmp_path: Path) -> None:
    run = _run(tmp_path, 0, {200: 0.72, 400: 0.64}, 0.64)
    (run / 'iter_200.pth').unlink()
    with pytest.raises(FileNotFoundError, match='iter_200.pth'):
        TOOL.test_top1('cfg.py', run, 200, 400)
    (run / 'test' / 'test_metrics.json').unlink()
    with pytest.raises(FileNotFoundError, match='test_metrics.json'):
        TOOL.test_top1('cfg.py', run, 400, 400)
    empty = tmp_path / 'empty'
    (empty / '20261205_000000' / 'vis_data').mkdir(parents=True)
    (empty / '20261205_000000' / 'vis_data' / 'scalars.json').write_text('{"lr": 1, "step": 1}\n')
    with pytest.raises(ValueError, match='logged no validation acc/top1'):
        TOOL.val_best_iteration(empty)
