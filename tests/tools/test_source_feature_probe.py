"""tools/analysis/source_feature_probe.py: pooled tokens and the nearest-class-mean probe."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from helpers import load_tool, tiny_checkpoint

TOOL = 'tools/analysis/source_feature_probe.py'
CONFIG = 'configs/ablations/avssl_tiny_synthav_1shot_auxsum_mdrop_gate_it800_srcpool.py'


def test_the_five_poolings_by_hand() -> None:
    tool = load_tool(TOOL)
    # 2 patches x 2 frames, patch-major tokens after the class token
    video = torch.tensor([[9.0, 9.0], [1.0, 0.0], [3.0, 0.0], [0.0, 2.0], [0.0, 4.0]])
    audio = torch.tensor([[5.0, 6.0], [7.0, 7.0]])
    box = np.array([[1.0, 0.0], [0.5, 0.5]])  # (T, N): frame 0 patch 0, frame 1 half of both
    loc = torch.tensor([[0.0, 1.0], [1.0, 0.0]])  # (T, N): frame 0 patch 1, frame 1 patch 0
    out = tool.pool_clip(video, audio, box, loc)
    assert out['a_cls'].tolist() == [5.0, 6.0] and out['v_cls'].tolist() == [9.0, 9.0]
    assert out['v_mean'].tolist() == [1.0, 1.5]
    # box: (1 * [1, 0] + 0.5 * [3, 0] + 0.5 * [0, 4]) / 2
    assert np.allclose(out['v_box'], [1.25, 1.0])
    # loc: ([0, 2] + [3, 0]) / 2
    assert np.allclose(out['v_loc'], [1.5, 1.0])
    with pytest.raises(ValueError, match='no patch'):
        tool.pool_clip(video, audio, np.zeros((2, 2)), loc)


def test_draws_and_the_nearest_class_mean() -> None:
    tool = load_tool(TOOL)
    labels = np.array([0, 0, 0, 1, 1, 1])
    draws = tool.draw_shots(labels, 2, 3, seed=0)
    assert len(draws) == 3 and all(sorted(labels[d].tolist()) == [0, 0, 1, 1] for d in draws)
    assert all(
        np.array_equal(a, b) for a, b in zip(draws, tool.draw_shots(labels, 2, 3, 0), strict=True)
    )
    with pytest.raises(ValueError, match='fewer than 4'):
        tool.draw_shots(labels, 4, 1, seed=0)
    train = np.array([[1.0, 0.0], [0.0, 1.0]])
    evaluate = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    assert tool.ncm_accuracy(train, np.array([0, 1]), evaluate, np.array([0, 1, 1])) == 2 / 3


def test_the_tool_probes_the_start_and_a_checkpoint(
    tiny_synthav: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, checkpoint = tiny_checkpoint(CONFIG, tiny_synthav, tmp_path)
    tool = load_tool(TOOL)
    out = tmp_path / 'features.npz'
    for extra in ([], ['--checkpoint', str(checkpoint)]):
        args = [str(config), '--shots', '1', '--draws', '2', '--eval-splits', 'test']
        assert tool.main([*args, '--out', str(out), *extra]) == 0
        rows = [r for r in capsys.readouterr().out.splitlines() if r.startswith('| 1 |')]
        assert len(rows) == len(tool.COMBINATIONS)
        accs = [float(r.split('|')[3].split('+-')[0]) for r in rows]
        assert all(0.0 <= a <= 100.0 for a in accs)
    saved = np.load(out)
    assert saved['train__v_loc'].shape[0] == saved['train__label'].shape[0] > 0
    plain, _ = tiny_checkpoint(
        'configs/avssl_tiny_synthav_1shot.py', tiny_synthav, tmp_path, stem='plain'
    )
    with pytest.raises(TypeError, match='srcpool'):
        tool.main([str(plain), '--draws', '1'])
