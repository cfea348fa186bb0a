"""tools/analysis/benchmark_loader.py: the model-step timing works on semi-supervised configs."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from helpers import load_tool, tiny_train_config

SEMI_FLEX = 'configs/svformer_tiny_synthav_1shot_flex.py'


def _load_tool():
    return load_tool('tools/analysis/benchmark_loader.py')


def test_train_step_timing_sizes_the_flexmatch_state(tiny_synthav: Path, tmp_path: Path) -> None:
    # FlexMatch keeps a per-sample state that ThresholdHook sizes in a real run; the
    # benchmark has no runner, so it must size it itself (it used to raise RuntimeError).
    cfg = tiny_train_config(SEMI_FLEX, tiny_synthav, tmp_path, batch_size=4, num_workers=0)
    tool = _load_tool()
    seconds = tool.time_train_step(cfg, steps=1)
    assert math.isfinite(seconds) and seconds > 0


def test_count_clips_counts_filled_branches() -> None:
    tool = _load_tool()
    batch = {
        'data_samples': [{'labeled': 1, 'weak': None, 'strong': None}, {'weak': 1, 'strong': 1}]
    }
    assert tool.count_clips(batch) == 3
    assert tool.count_clips({'data_samples': [object(), object()]}) == 2


@pytest.mark.parametrize('workers', [0])
def test_loader_timing_reports_items_and_clips(
    tiny_synthav: Path, tmp_path: Path, workers: int
) -> None:
    cfg = tiny_train_config(SEMI_FLEX, tiny_synthav, tmp_path, batch_size=4, num_workers=0)
    tool = _load_tool()
    row = tool.time_loader(cfg, workers, batches=1, warmup=0)
    assert row['items_per_s'] > 0
    assert row['clips_per_s'] >= row['items_per_s']  # an unlabeled item decodes two views
