"""Visual-audio contrastive loss: hand-computed value, symmetry, aligned < shuffled."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from avssl.models.losses import AVContrastiveLoss, av_infonce


def test_value_against_hand_computation() -> None:
    # Unit vectors: v0 = a0 = e0, v1 = e1, a1 = (e0 + e1) / sqrt 2; t = 0.5.
    r = 1 / math.sqrt(2)
    video = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    audio = torch.tensor([[1.0, 0.0], [r, r]])
    # S = V A^T / t = [[2, 2r], [0, 2r]]
    s00, s01, s10, s11 = 2.0, 2 * r, 0.0, 2 * r
    rows = -(s00 - math.log(math.exp(s00) + math.exp(s01))) - (
        s11 - math.log(math.exp(s10) + math.exp(s11))
    )
    cols = -(s00 - math.log(math.exp(s00) + math.exp(s10))) - (
        s11 - math.log(math.exp(s01) + math.exp(s11))
    )
    expected = 0.5 * (rows / 2 + cols / 2)
    loss, acc = av_infonce(video, audio, 0.5)
    assert loss.item() == pytest.approx(expected, rel=1e-6)
    # Rows: argmax of [2, 1.41] is 0 (right), of [0, 1.41] is 1 (right); columns: [2, 0] -> 0
    # (right), [1.41, 1.41] -> 0 (wrong): accuracy (2/2 + 1/2) / 2.
    assert acc.item() == pytest.approx(0.75)


def test_symmetric_and_lower_for_aligned_pairs() -> None:
    torch.manual_seed(0)
    video = F.normalize(torch.randn(8, 16), dim=-1)
    audio = F.normalize(video + 0.3 * torch.randn(8, 16), dim=-1)
    loss, _ = av_infonce(video, audio, 0.07)
    swapped, _ = av_infonce(audio, video, 0.07)
    assert loss.item() == pytest.approx(swapped.item(), rel=1e-6)
    shuffled, _ = av_infonce(video, audio[torch.randperm(8)], 0.07)
    assert loss < shuffled


def test_module_projects_only_when_widths_differ_and_backpropagates() -> None:
    same = AVContrastiveLoss(video_dims=16, audio_dims=16)
    assert isinstance(same.video_proj, torch.nn.Identity)
    assert isinstance(same.audio_proj, torch.nn.Identity)
    torch.manual_seed(0)
    module = AVContrastiveLoss(video_dims=16, audio_dims=24, embed_dims=8)
    video = torch.randn(4, 16, requires_grad=True)
    loss, acc = module(video, torch.randn(4, 24))
    loss.backward()
    assert video.grad is not None and module.audio_proj.weight.grad is not None
    assert 0.0 <= acc.item() <= 1.0
    with pytest.raises(ValueError, match='one shape'):
        av_infonce(torch.randn(3, 4), torch.randn(2, 4), 0.1)
    with pytest.raises(ValueError, match='temperature'):
        AVContrastiveLoss(temperature=0.0)
