"""tools/analysis/get_flops.py and avssl.analysis.flops: MAC counting of a training iteration."""

from __future__ import annotations

import re

import pytest
import torch
from helpers import REPO, run_tool
from mmengine.analysis import FlopAnalyzer
from mmengine.config import Config
from torch import nn

from avssl.analysis.flops import PARTS, count_config_flops, count_macs

TUBE = 'configs/avssl_tiny_synthav_1shot_tube.py'
TUBE_CONTRAST = 'configs/avssl_tiny_synthav_1shot_tube_contrast.py'
ASL = 'configs/avssl_tiny_synthav_1shot.py'
VIDEO_ONLY = 'configs/svformer_tiny_synthav_1shot_flex.py'
LAST_LINE = re.compile(r'^trainable_params_M=(\d+\.\d+) gflops_per_iter=(\d+\.\d+)$')


def _count(config: str, device: str = 'meta'):
    return count_config_flops(Config.fromfile(str(REPO / config)).model, device)


class _Small(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.fc = nn.Linear(4 * 8 * 8, 10)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        z = self.fc(self.conv(x).flatten(1))
        return z, torch.bmm(z.view(2, 10, 1), z.view(2, 1, 10))


def test_macs_of_small_modules_equal_hand_counts_and_mmengine() -> None:
    assert count_macs(nn.Linear(7, 5), torch.randn(3, 7)) == 3 * 7 * 5
    assert count_macs(nn.Linear(7, 5, bias=False), torch.randn(2, 4, 7)) == 2 * 4 * 7 * 5
    model, x = _Small(), torch.randn(2, 3, 8, 8)
    # conv: out pixels x C_out x C_in x k^2; linear; bmm (2 x 10x1 @ 1x10).
    hand = 2 * 8 * 8 * 4 * 3 * 9 + 2 * 256 * 10 + 2 * 10 * 10
    assert count_macs(model, x) == hand
    assert FlopAnalyzer(model, (x,)).total() == hand  # mmengine's convention: 1 MAC = 1 FLOP


def test_fused_cpu_attention_is_counted_and_cpu_equals_meta() -> None:
    q, k = torch.randn(2, 3, 5, 8), torch.randn(2, 3, 6, 8)
    sdpa = torch.nn.functional.scaled_dot_product_attention
    assert count_macs(sdpa, q, k, k) == 2 * (2 * 3 * 5 * 6 * 8)  # QK^T and AV
    counts = {}
    for device in ('cpu', 'meta'):
        with torch.device(device):
            layer = nn.TransformerEncoderLayer(16, 2, 32, 0.0, batch_first=True).eval()
            counts[device] = count_macs(layer, torch.randn(2, 5, 16))
    assert counts['cpu'] == counts['meta'] > 0


def test_asl_iteration_costs_the_localizer_more_than_the_tube_one() -> None:
    tube, tube_c, asl = _count(TUBE), _count(TUBE_CONTRAST), _count(ASL)
    for result in (tube, tube_c, asl):
        assert set(result.parts) == set(PARTS)
        assert sum(result.parts.values()) == result.total > 0
        assert result.parts['other'] == 0
    # The same network in every part; only the localizer (and the contrastive matmul) differ.
    for part in ('student_labeled', 'student_strong', 'student_mixed', 'teacher_weak'):
        assert tube.parts[part] == tube_c.parts[part] == asl.parts[part] > 0
    assert tube.parts['localizer'] == tube_c.parts['localizer'] == 0
    assert asl.parts['localizer'] > 0 and asl.parts['contrastive'] > 0
    assert asl.total - tube_c.total == asl.parts['localizer']
    assert asl.total - tube.total == asl.parts['localizer'] + asl.parts['contrastive']
    # Four passes of one network: student x 3 and teacher on the same clip shape.
    assert tube.total == 4 * tube.parts['teacher_weak']
    assert asl.trainable_params == tube_c.trainable_params  # the localizer is frozen
    video = _count(VIDEO_ONLY)
    assert video.total < tube.total and video.trainable_params < tube.trainable_params


def test_cpu_and_meta_counts_agree_on_the_asl_config() -> None:
    meta, cpu = _count(ASL, 'meta'), _count(ASL, 'cpu')
    assert cpu.parts == meta.parts and cpu.total == meta.total


def test_cli_prints_the_table_and_the_summary_last() -> None:
    proc = run_tool(['tools/analysis/get_flops.py', ASL], cwd=REPO, timeout=120)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    lines = proc.stdout.strip().splitlines()
    match = LAST_LINE.match(lines[-1])
    assert match, lines[-1]
    params, gflops = float(match.group(1)), float(match.group(2))
    assert params > 0 and gflops > 0
    expected = _count(ASL)
    assert gflops == pytest.approx(expected.gflops, abs=1e-3)
    assert any(line.startswith('localizer') for line in lines)
    proc = run_tool(['tools/analysis/get_flops.py', 'configs/fnac_r18_synthav.py'], cwd=REPO)
    assert proc.returncode != 0 and 'AVSemiRecognizer' in proc.stderr
