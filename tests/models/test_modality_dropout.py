"""AVRecognizer's modality dropout: which rows lose which input, the maths, RNG and errors."""

from __future__ import annotations

import pytest
import torch
from helpers import TINY_AUDIO, TINY_VIDEO

from avssl.registry import MODELS


def _model(p: float, aux: bool = False, video: bool = True) -> torch.nn.Module:
    torch.manual_seed(0)
    cfg = dict(
        type='AVRecognizer',
        backbone=TINY_VIDEO if video else None,
        audio_backbone=TINY_AUDIO,
        cls_head=dict(type='TimeSformerHead', num_classes=3, in_channels=(24 if video else 0) + 16),
        modality_dropout=p,
    )
    if aux:
        cfg['aux_head'] = dict(
            type='UnimodalAuxHead', video_dims=24, audio_dims=16, fuse_weight=1.0
        )
    return MODELS.build(cfg)


def _embeddings(rows: int) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(1)
    return torch.randn(rows, 24, generator=generator), torch.randn(rows, 16, generator=generator)


def _reference(model: torch.nn.Module, video: torch.Tensor, audio: torch.Tensor) -> dict:
    """Logits with both inputs, without the video and without the audio (eval mode, by hand)."""
    model.eval()
    with torch.no_grad():
        head = model.cls_head
        fused = {
            'both': head(model.neck(video, audio)),
            'no_video': head(model.neck(torch.zeros_like(video), audio)),
            'no_audio': head(model.neck(video, torch.zeros_like(audio))),
        }
        if model.aux_head is not None:
            aux = model.aux_head(video, audio)
            fused['both'] = fused['both'] + aux['video'] + aux['audio']
            fused['no_video'] = fused['no_video'] + aux['audio']
            fused['no_audio'] = fused['no_audio'] + aux['video']
    model.train()
    return fused


@pytest.mark.parametrize('aux', [False, True])
def test_every_row_loses_exactly_one_input_at_p1(aux: bool) -> None:
    model = _model(1.0, aux=aux).train()
    video, audio = _embeddings(64)
    ref = _reference(model, video, audio)
    with torch.no_grad():
        logits = model.classify(video, audio)
    no_video = torch.isclose(logits, ref['no_video'], atol=1e-5).all(dim=1)
    no_audio = torch.isclose(logits, ref['no_audio'], atol=1e-5).all(dim=1)
    assert (no_video ^ no_audio).all(), 'each row must match exactly one of the two drops'
    # both kinds of drop happen (probability 2 ** -63 that they do not)
    assert 0 < int(no_video.sum()) < 64


def test_share_of_dropped_rows_and_which_input() -> None:
    model = _model(0.3).train()
    torch.manual_seed(5)
    keep = model.modality_keep(20_000, torch.device('cpu'))
    assert keep is not None
    assert not ((keep['video'] == 0) & (keep['audio'] == 0)).any()
    dropped = (keep['video'] == 0) | (keep['audio'] == 0)
    assert abs(dropped.float().mean().item() - 0.3) < 0.02
    share_video = (keep['video'] == 0).float().sum() / dropped.float().sum()
    assert abs(share_video.item() - 0.5) < 0.03


def test_off_in_eval_mode_and_at_p0_without_drawing_random_numbers() -> None:
    video, audio = _embeddings(8)
    for model in (_model(0.0, aux=True).train(), _model(1.0, aux=True).eval()):
        state = torch.random.get_rng_state()
        with torch.no_grad():
            logits = model.classify(video, audio)
        assert torch.equal(state, torch.random.get_rng_state())
        was_training = model.training
        torch.testing.assert_close(logits, _reference(model, video, audio)['both'])
        model.train(was_training)


def test_same_seed_same_drops() -> None:
    model = _model(0.5).train()
    video, audio = _embeddings(32)
    with torch.no_grad():
        torch.manual_seed(3)
        a = model.classify(video, audio)
        torch.manual_seed(3)
        b = model.classify(video, audio)
        c = model.classify(video, audio)
    assert torch.equal(a, b)
    assert not torch.equal(b, c)


def test_dropped_input_gets_no_gradient() -> None:
    model = _model(1.0).train()
    video, audio = _embeddings(16)
    video.requires_grad_(True)
    audio.requires_grad_(True)
    torch.manual_seed(0)
    keep = model.modality_keep(16, torch.device('cpu'))
    torch.manual_seed(0)
    model.classify(video, audio).sum().backward()
    assert keep is not None
    assert (video.grad[keep['video'] == 0] == 0).all()
    assert (audio.grad[keep['audio'] == 0] == 0).all()
    assert (video.grad[keep['video'] == 1].abs().sum(dim=1) > 0).all()


def test_bad_settings_are_named() -> None:
    with pytest.raises(ValueError, match=r'modality_dropout must lie in \[0, 1\], got 1.5'):
        _model(1.5)
    with pytest.raises(ValueError, match='needs a video and an audio backbone; this network has'):
        _model(0.5, video=False)
