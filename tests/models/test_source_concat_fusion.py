"""SourceConcatFusion: the normalised audio token beside the pooled video tokens, by hand."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from avssl.models.necks import SourceConcatFusion


def _tokens(batch: int = 2, patches: int = 4, frames: int = 2) -> tuple[torch.Tensor, ...]:
    gen = torch.Generator().manual_seed(1)
    video = torch.randn(batch, 1 + patches * frames, 6, generator=gen)
    audio = torch.randn(batch, 1 + 3, 5, generator=gen)
    return video, audio


def _maps() -> torch.Tensor:
    maps = torch.zeros(2, 2, 2, 2)
    maps[0, 0, 1, 1] = maps[0, 1, 0, 0] = 1.0  # clip 0: patch 3 in frame 0, patch 0 in frame 1
    maps[1, :, 0, 1] = 1.0  # clip 1: patch 1 in both frames
    return maps


def test_output_by_hand_and_unit_length() -> None:
    neck = SourceConcatFusion(num_frames=2, video_dims=6, audio_dims=5, top_fraction=0.25)
    assert neck.embed_dims == 11 and not list(neck.parameters())
    video, audio = _tokens()
    with neck.showing(_maps()):
        out = neck(video, audio)
    assert neck.source_maps is None
    grid = video[:, 1:].reshape(2, 4, 2, 6)  # (B, N, T, D): patch-major tokens
    source = torch.stack([(grid[0, 3, 0] + grid[0, 0, 1]) / 2, (grid[1, 1, 0] + grid[1, 1, 1]) / 2])
    expected = torch.cat([F.normalize(audio[:, 0], dim=-1), F.normalize(source, dim=-1)], -1)
    assert torch.allclose(out, expected / 2**0.5, atol=1e-6)
    assert torch.allclose(out.norm(dim=-1), torch.ones(2), atol=1e-6)


def test_a_zeroed_stream_gives_a_zero_half() -> None:
    neck = SourceConcatFusion(num_frames=2, video_dims=6, audio_dims=5, top_fraction=0.25)
    video, audio = _tokens()
    with neck.showing(_maps()):
        out = neck(torch.zeros_like(video), audio)
    assert torch.isfinite(out).all() and torch.equal(out[:, 5:], torch.zeros(2, 6))
    assert torch.allclose(out[:, :5], F.normalize(audio[:, 0], dim=-1) / 2**0.5, atol=1e-6)


def test_clear_errors() -> None:
    neck = SourceConcatFusion(num_frames=2, video_dims=6, audio_dims=5)
    video, audio = _tokens()
    with pytest.raises(RuntimeError, match='SourceConcatFusion needs the localizer maps'):
        neck(video, audio)
    with pytest.raises(ValueError, match='fuses both streams'):
        neck(video, None)
    with neck.showing(_maps()), pytest.raises(ValueError, match=r'audio tokens \(B, 1 \+ L, 5\)'):
        neck(video, audio[:, 0])
    with pytest.raises(ValueError, match='top_fraction must be in'):
        SourceConcatFusion(num_frames=2, top_fraction=0.0)
    with pytest.raises(ValueError, match='num_frames must be >= 1'):
        SourceConcatFusion(num_frames=0)
