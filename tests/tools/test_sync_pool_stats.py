"""tools/analysis/sync_pool_stats.py: patch weights against the sounding object's boxes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers import load_tool, tiny_checkpoint

TOOL = 'tools/analysis/sync_pool_stats.py'
CONFIG = 'configs/ablations/avssl_tiny_synthav_1shot_auxsum_mdrop_gate_it800_syncpool.py'


def test_patch_overlap_and_clip_stats_by_hand() -> None:
    tool = load_tool(TOOL)
    # a 2 x 2 grid of 10-pixel patches; the box covers all of patch 0 and half of patch 1
    overlap = tool.patch_box_overlap([0, 0, 15, 10], (2, 2), 10)
    assert np.allclose(overlap, [1.0, 0.5, 0.0, 0.0])
    frames = np.stack([overlap, overlap])
    stats = tool.clip_stats(np.array([0.5, 0.5, 0.0, 0.0]), frames)
    assert stats == pytest.approx(dict(mass_in_box=0.75, uniform=0.375, pointing=1.0))
    stats = tool.clip_stats(np.array([0.1, 0.1, 0.1, 0.7]), frames)
    assert stats['mass_in_box'] == pytest.approx(0.15) and stats['pointing'] == 0.0


def test_sampled_frames_are_the_test_pipelines() -> None:
    tool = load_tool(TOOL)
    sampler = dict(type='SampleFrames', clip_len=8, frame_interval=8, num_clips=1, test_mode=True)
    # 75 frames: the 57-frame clip is centred (offset 9), 8 apart
    assert tool.sampled_frames(sampler, 75).tolist() == [9, 17, 25, 33, 41, 49, 57, 65]
    # a short video loops
    assert max(tool.sampled_frames(sampler, 30)) < 30


def test_the_tool_scores_the_start_and_a_checkpoint(
    tiny_synthav: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, checkpoint = tiny_checkpoint(CONFIG, tiny_synthav, tmp_path)
    tool = load_tool(TOOL)
    for extra in ([], ['--checkpoint', str(checkpoint)]):
        assert tool.main([str(config), '--split', 'test', '--num', '4', *extra]) == 0
        last = capsys.readouterr().out.strip().splitlines()[-1]
        values = dict(part.split('=') for part in last.split())
        assert set(values) == {'mass_in_box', 'uniform', 'pointing'}
        assert all(0.0 <= float(v) <= 1.0 for v in values.values())
    plain, _ = tiny_checkpoint(
        'configs/avssl_tiny_synthav_1shot.py', tiny_synthav, tmp_path, stem='plain'
    )
    with pytest.raises(TypeError, match='not SyncPoolFusion'):
        tool.main([str(plain), '--num', '1'])
