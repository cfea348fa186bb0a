"""SourcePoolFusion: the patches it pools, the output by hand, clear errors."""

from __future__ import annotations

import pytest
import torch

from avssl.models.necks import SourcePoolFusion, TransformerFusion

FUSION = dict(video_dims=6, audio_dims=6, embed_dims=6, num_layers=1, num_heads=2)


def _neck(**kwargs: object) -> SourcePoolFusion:
    torch.manual_seed(0)
    cfg: dict = dict(FUSION, num_frames=2, top_fraction=0.25)
    cfg.update(kwargs)
    return SourcePoolFusion(**cfg).eval()


def _tokens(batch: int = 2, patches: int = 4, frames: int = 2) -> tuple[torch.Tensor, ...]:
    gen = torch.Generator().manual_seed(1)
    video = torch.randn(batch, 1 + patches * frames, 6, generator=gen)
    audio = torch.randn(batch, 1 + 3, 6, generator=gen)
    return video, audio


def test_weights_pick_each_frames_top_patches_of_the_map_averaged_onto_the_grid() -> None:
    neck = _neck(top_fraction=0.5)  # 2 of the 4 patches of a 2 x 2 grid
    maps = torch.zeros(1, 2, 4, 4)  # a finer map: each patch is a 2 x 2 block of cells
    maps[0, 0, :2, :2] = 3.0  # frame 0: patch (0, 0) first ...
    maps[0, 0, 2:, 2:] = 1.0  # ... then patch (1, 1)
    maps[0, 1, :2, 2:] = 5.0  # frame 1: patch (0, 1) first ...
    maps[0, 1, 2, 0] = 4.0  # ... then patch (1, 0) (one cell of four: mean 1.0)
    weights = neck.source_weights(maps, (2, 2))
    assert torch.equal(weights[0, 0], torch.tensor([0.5, 0.0, 0.0, 0.5]))
    assert torch.equal(weights[0, 1], torch.tensor([0.0, 0.5, 0.5, 0.0]))
    # at least one patch, however small the fraction
    assert _neck(top_fraction=0.01).source_weights(maps, (2, 2)).count_nonzero() == 2


def test_output_is_the_fusion_plus_the_projected_pooled_tokens_by_hand() -> None:
    neck = _neck()  # top_fraction 0.25: one patch of four per frame
    video, audio = _tokens()
    maps = torch.zeros(2, 2, 2, 2)
    maps[0, 0, 1, 1] = maps[0, 1, 0, 0] = 1.0  # clip 0: patch 3 in frame 0, patch 0 in frame 1
    maps[1, :, 0, 1] = 1.0  # clip 1: patch 1 in both frames
    with neck.showing(maps):
        out = neck(video, audio)
    assert neck.source_maps is None  # cleared after the block
    plain = TransformerFusion.forward(neck, video[:, 0], audio[:, 0])
    grid = video[:, 1:].reshape(2, 4, 2, 6)  # (B, N, T, D): patch-major tokens
    source = torch.stack([(grid[0, 3, 0] + grid[0, 0, 1]) / 2, (grid[1, 1, 0] + grid[1, 1, 1]) / 2])
    expected = plain + neck.source_proj(neck.source_norm(source))
    assert torch.allclose(out, expected, atol=1e-6)


def test_gradients_reach_the_pooled_tokens_and_the_projection() -> None:
    neck = _neck().train()
    video, audio = _tokens()
    video.requires_grad_(True)
    maps = torch.rand(2, 2, 2, 2)
    with neck.showing(maps):
        neck(video, audio).sum().backward()
    assert neck.source_proj.weight.grad is not None
    pooled = (video.grad[:, 1:].abs().sum(-1) > 0).sum().item()
    assert pooled == 2 * 2  # one patch per frame, two frames, two clips


def test_one_stream_is_the_fusion_alone_and_two_need_maps() -> None:
    neck = _neck()
    video, audio = _tokens()
    assert torch.allclose(neck(video, None), TransformerFusion.forward(neck, video[:, 0], None))
    with pytest.raises(RuntimeError, match='model.localizer'):
        neck(video, audio)


def test_bad_settings_and_inputs_are_named() -> None:
    with pytest.raises(ValueError, match='top_fraction'):
        _neck(top_fraction=0.0)
    with pytest.raises(ValueError, match='num_frames'):
        _neck(num_frames=0)
    with pytest.raises(ValueError, match="tokens='cls'"):
        _neck(tokens='all')
    neck = _neck()
    video, audio = _tokens()
    with pytest.raises(ValueError, match="output='tokens'"):
        neck(video[:, 0], audio[:, 0])
    with neck.showing(torch.zeros(3, 2, 2, 2)), pytest.raises(ValueError, match='3 clips'):
        neck(video, audio)
    with neck.showing(torch.zeros(2, 5, 2, 2)), pytest.raises(ValueError, match='maps must be'):
        neck(video, audio)
    with pytest.raises(ValueError, match='square grid'):
        with neck.showing(torch.zeros(2, 2, 2, 2)):
            neck(torch.zeros(2, 1 + 3 * 2, 6), audio)


def test_showing_restores_the_previous_maps_after_an_error() -> None:
    neck = _neck()
    outer = torch.ones(2, 2, 2, 2)
    with neck.showing(outer):
        with pytest.raises(KeyError), neck.showing(torch.zeros(2, 2, 2, 2)):
            raise KeyError('boom')
        assert neck.source_maps is outer
    assert neck.source_maps is None
