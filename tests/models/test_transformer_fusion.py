"""TransformerFusion: shapes, the first token as output, both streams matter, clear errors."""

from __future__ import annotations

import pytest
import torch

from avssl.models.necks import TransformerFusion


def _neck(**kwargs: object) -> TransformerFusion:
    torch.manual_seed(0)
    cfg = dict(video_dims=8, audio_dims=12, embed_dims=16, num_layers=2, num_heads=2)
    cfg.update(kwargs)
    return TransformerFusion(**cfg).eval()


def test_class_tokens_fuse_to_the_first_token() -> None:
    neck = _neck()
    video, audio = torch.randn(3, 8), torch.randn(3, 12)
    out = neck(video, audio)
    assert out.shape == (3, 16)
    # The output attends to the audio: changing the audio changes it.
    assert not torch.allclose(out, neck(video, torch.randn(3, 12)))
    # Each clip is fused on its own: permuting the batch permutes the output.
    perm = torch.tensor([2, 0, 1])
    assert torch.allclose(neck(video[perm], audio[perm]), out[perm], atol=1e-6)


def test_all_tokens_mode_and_single_stream() -> None:
    neck = _neck(tokens='all')
    out = neck(torch.randn(2, 5, 8), torch.randn(2, 4, 12))
    assert out.shape == (2, 16)
    assert _neck()(torch.randn(2, 8), None).shape == (2, 16)
    assert _neck()(None, torch.randn(2, 12)).shape == (2, 16)


def test_equal_widths_need_no_projection_and_zero_layers_work() -> None:
    neck = TransformerFusion(video_dims=16, audio_dims=16, embed_dims=16, num_layers=0, num_heads=2)
    assert isinstance(neck.video_proj, torch.nn.Identity)
    x = torch.randn(2, 16)
    expected = neck.norm(x + neck.modality_embed[0])
    assert torch.allclose(neck(x, torch.randn(2, 16)), expected, atol=1e-6)


def test_bad_inputs_are_named() -> None:
    with pytest.raises(ValueError, match='tokens'):
        TransformerFusion(tokens='some')
    with pytest.raises(ValueError, match='num_heads'):
        TransformerFusion(embed_dims=10, num_heads=3)
    with pytest.raises(ValueError, match="output='tokens'"):
        _neck(tokens='all')(torch.randn(2, 8), torch.randn(2, 4, 12))
    with pytest.raises(ValueError, match='batch sizes'):
        _neck()(torch.randn(2, 8), torch.randn(3, 12))
    with pytest.raises(ValueError, match='neither'):
        _neck()(None, None)
