"""SyncPoolFusion and the frame slots: the layout maths, pooling the patch that pulses with the
sound, the synchrony head's start file, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from avssl.models.necks import SyncPoolFusion, TransformerFusion
from avssl.models.necks.frame_aligned_sync import centred_window_slots
from avssl.pretrain.export import export_state_dict

FUSION = dict(video_dims=6, audio_dims=6, embed_dims=6, num_layers=1, num_heads=2)


def _neck(**kwargs: object) -> SyncPoolFusion:
    torch.manual_seed(0)
    cfg: dict = dict(FUSION, num_frames=4, audio_grid=(4, 2), slots=[0, 1, 2, 3], proj_dims=3)
    cfg.update(kwargs)
    return SyncPoolFusion(**cfg).eval()


def _pulsing_tokens(source: int, batch: int = 2, patches: int = 5, frames: int = 4):
    """Video tokens whose patch ``source`` rises and falls with the audio along channel 0; every
    patch has its own constant appearance on channels 1-5."""
    gen = torch.Generator().manual_seed(1)
    envelope = torch.tensor([1.0, -1.0, 1.0, -1.0])
    video = torch.zeros(batch, 1 + patches * frames, 6)
    look = torch.randn(patches, 6, generator=gen)
    look[:, 0] = 0
    grid = look[None, :, None, :].repeat(batch, 1, frames, 1)  # (B, N, T, D)
    grid[:, source, :, 0] = 3 * envelope
    video[:, 1:] = grid.reshape(batch, patches * frames, 6)
    audio = torch.zeros(batch, 1 + 4 * 2, 6)
    audio[:, 1:, 0] = envelope.repeat_interleave(2)  # time-major (Ta=4, F=2)
    return video, audio, look


def test_slots_of_the_tiny_configs_follow_the_centred_window() -> None:
    # 8 frames 8 apart at 25 fps: 0.32 s apart, i.e. 32 filterbank frames = 2 patches of 16; the
    # first frame sits 1.12 s before the centre, 1.1625 s after the window's first frame centre.
    assert centred_window_slots(8, 8, 25) == [0, 2, 4, 6, 8, 10, 12, 14]
    # 16 frames span 4.8 s: those outside the 2.575 s window get -1.
    slots = centred_window_slots(16, 8, 25)
    assert slots[:4] == [-1, -1, -1, -1] and slots[-4:] == [-1, -1, -1, -1]
    assert [s for s in slots if s >= 0] == [0, 2, 4, 6, 8, 10, 12, 14]
    with pytest.raises(ValueError, match='positive'):
        centred_window_slots(8, 0, 25)


def test_pools_the_patch_that_pulses_with_the_sound() -> None:
    neck = _neck(temperature=0.05)
    with torch.no_grad():  # project channel 0 alone on both sides
        for proj in (neck.sync.video_proj, neck.sync.audio_proj):
            proj.weight.zero_()
            proj.bias.zero_()
            proj.weight[0, 0] = 1.0
    video, audio, look = _pulsing_tokens(source=3)
    weights = neck.source_weights(video, audio)
    assert weights.shape == (2, 5)
    assert torch.allclose(weights.sum(1), torch.ones(2))
    assert (weights.argmax(1) == 3).all() and (weights[:, 3] > 0.99).all()
    # The output is the class-token fusion plus the projected appearance of that patch.
    fused = TransformerFusion.forward(neck, video[:, 0], audio[:, 0])
    source = look[3].clone()
    source[0] = 0  # the pulse averages out over the frames
    expected = fused + neck.source_proj(neck.source_norm(source.expand(2, 6)))
    assert torch.allclose(neck(video, audio), expected, atol=1e-3)
    # Another source patch, another output; an audio out of step moves the weights away.
    video2, _, _ = _pulsing_tokens(source=1)
    assert (neck.source_weights(video2, audio).argmax(1) == 1).all()
    assert not torch.allclose(neck(video2, audio), neck(video, audio))
    assert (neck.source_weights(video, -audio)[:, 3] < 0.01).all()


def test_one_stream_gives_the_fusion_alone_and_gradients_reach_the_sync_head() -> None:
    neck = _neck()
    video, audio, _ = _pulsing_tokens(source=0)
    fusion = TransformerFusion(**FUSION).eval()
    fusion.load_state_dict(
        {k: v for k, v in neck.state_dict().items() if not k.startswith(('sync.', 'source_'))}
    )
    assert torch.allclose(neck(video, None), fusion(video[:, 0], None))
    assert torch.allclose(neck(None, audio), fusion(None, audio[:, 0]))
    neck.train()
    neck(video, audio).sum().backward()
    assert neck.sync.video_proj.weight.grad is not None
    assert neck.sync.video_proj.weight.grad.abs().sum() > 0


def test_sync_checkpoint_loads_strictly(tmp_path: Path) -> None:
    source = _neck()
    with torch.no_grad():
        source.sync.bias.fill_(0.5)
    path = tmp_path / 'sync_head.pth'
    export_state_dict(source.sync.state_dict(), path)
    neck = _neck(sync_checkpoint=str(path))
    torch.manual_seed(3)
    neck.init_weights()
    for key, value in source.sync.state_dict().items():
        assert torch.equal(neck.sync.state_dict()[key], value), key
    export_state_dict({'video_proj.weight': torch.zeros(3, 6)}, tmp_path / 'partial.pth')
    with pytest.raises(RuntimeError, match='partial.pth.*missing'):
        _neck(sync_checkpoint=str(tmp_path / 'partial.pth')).init_weights()
    with pytest.raises(FileNotFoundError, match='nowhere.pth'):
        _neck(sync_checkpoint=str(tmp_path / 'nowhere.pth')).init_weights()


def test_bad_settings_and_inputs_are_named() -> None:
    with pytest.raises(ValueError, match="tokens='cls'"):
        _neck(tokens='all')
    with pytest.raises(ValueError, match='must be equal'):
        _neck(audio_dims=8)
    with pytest.raises(ValueError, match='temperature'):
        _neck(temperature=0)
    video, audio, _ = _pulsing_tokens(source=0)
    with pytest.raises(ValueError, match="output='tokens'"):
        _neck()(video[:, 0], audio)
    with pytest.raises(ValueError, match='audio tokens'):
        _neck()(video, audio[:, :5])
    with pytest.raises(ValueError, match="output='tokens'"):
        _neck()(video, audio[:, 0])
    with pytest.raises(ValueError, match='audio tokens'):
        _neck().source_weights(video, audio[:, 0:1].expand(-1, 9, -1)[:, :5])


def test_frame_index_of_the_identity_changes_nothing() -> None:
    neck = _neck()
    video, audio, _ = _pulsing_tokens(source=2)
    plain = neck.sync.patch_scores(video, audio)
    same = neck.sync.patch_scores(video, audio, torch.arange(4).expand(2, 4))
    assert torch.allclose(plain, same, atol=1e-6)


def test_follow_warp_matches_each_frame_with_the_audio_of_the_frame_it_shows() -> None:
    neck = _neck(temperature=0.05, follow_warp=True)
    with torch.no_grad():  # project channel 0 alone on both sides
        for proj in (neck.sync.video_proj, neck.sync.audio_proj):
            proj.weight.zero_()
            proj.bias.zero_()
            proj.weight[0, 0] = 1.0
    video, audio, _ = _pulsing_tokens(source=3)
    # a warp that shows frames 0, 0, 1, 1: the source's pulse becomes +, +, -, -
    index = torch.tensor([[0, 0, 1, 1]] * 2)
    grid = video[:, 1:].reshape(2, 5, 4, 6)
    warped = video.clone()
    warped[:, 1:] = grid[:, :, index[0]].reshape(2, 20, 6)
    neck.frame_index = index
    assert (neck.source_weights(warped, audio)[:, 3] > 0.99).all()
    # read against the audio of the positions (the warp ignored), the pulse does not match
    neck.frame_index = None
    assert (neck.source_weights(warped, audio)[:, 3] < 0.5).all()
    off = _neck(temperature=0.05)  # follow_warp off: frame_index is not read
    off.load_state_dict(neck.state_dict())
    off.frame_index = index
    assert torch.allclose(off.source_weights(warped, audio), neck.source_weights(warped, audio))
    # a clip with one distinct frame inside the window scores 0 everywhere: uniform weights
    neck.frame_index = torch.zeros(2, 4, dtype=torch.long)
    assert torch.allclose(neck.source_weights(warped, audio), torch.full((2, 5), 0.2))
    with pytest.raises(ValueError, match='frame_index must be'):
        neck.sync.patch_scores(warped, audio, torch.zeros(2, 3, dtype=torch.long))
    neck.frame_index = torch.zeros(3, 4, dtype=torch.long)
    with pytest.raises(ValueError, match='3 rows for 2 clips'):
        neck(warped, audio)
