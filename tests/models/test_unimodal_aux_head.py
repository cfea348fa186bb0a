"""UnimodalAuxHead: its loss against hand values, its place in the recognizers, its errors."""

from __future__ import annotations

import math

import pytest
import torch
from helpers import TINY_AUDIO, TINY_VIDEO, labeled_samples

from avssl.registry import MODELS

VIDEO = dict(TINY_VIDEO, type='MixableTimeSformer')
AUX = dict(type='UnimodalAuxHead', video_dims=24, audio_dims=16)


def _network(aux: dict | None = AUX, audio: bool = True) -> dict:
    return dict(
        type='AVRecognizer',
        backbone=VIDEO,
        audio_backbone=TINY_AUDIO if audio else None,
        cls_head=dict(
            type='TimeSformerHead',
            num_classes=3,
            in_channels=40 if audio else 24,
            average_clips='prob',
        ),
        aux_head=aux,
    )


def _inputs(batch: int, views: int = 1) -> dict[str, torch.Tensor]:
    return {
        'imgs': torch.randn(batch, views, 3, 2, 32, 32),
        'audio': torch.randn(batch, views, 1, 32, 32),
    }


def _samples(labels: list[int], index: bool = False) -> list:
    return labeled_samples(labels, 0 if index else None)


def test_loss_equals_hand_computed_cross_entropy() -> None:
    head = MODELS.build(dict(AUX, num_classes=3, loss_weight=0.5))
    head.init_weights()
    for layer in head.classifiers.values():
        torch.nn.init.zeros_(layer.weight)
    head.classifiers['audio'].bias.data = torch.tensor([0.0, math.log(3.0), 0.0])
    out = head.loss(torch.randn(2, 24), torch.randn(2, 16), torch.tensor([1, 2]))
    # video: uniform logits -> CE = log 3 for each clip
    assert out['loss_aux_video'].item() == pytest.approx(0.5 * math.log(3.0), rel=1e-6)
    # audio: probabilities (1, 3, 1) / 5 -> CE = (-log 0.6 - log 0.2) / 2
    expected = 0.5 * (-math.log(0.6) - math.log(0.2)) / 2
    assert out['loss_aux_audio'].item() == pytest.approx(expected, rel=1e-6)
    assert out['aux_audio_top1'].item() == pytest.approx(0.5)  # argmax 1 for both clips


def test_network_adds_losses_per_view_and_predicts_with_the_fused_head_only() -> None:
    torch.manual_seed(0)
    model = MODELS.build(_network())
    model.init_weights()
    assert model.aux_head.num_classes == 3  # filled from cls_head
    losses = model(_inputs(2), _samples([0, 2]), mode='loss')
    assert {'loss_cls', 'loss_aux_video', 'loss_aux_audio'} <= set(losses)
    # with 2 views the views share their clip's label: 4 rows, labels [0, 0, 2, 2]
    inputs = _inputs(2, views=2)
    video, audio = model.embed(inputs)
    losses = model.aux_losses(video, audio, _samples([0, 2]))
    logits = model.aux_head(video, audio)['audio']
    expected = torch.nn.functional.cross_entropy(logits, torch.tensor([0, 0, 2, 2]))
    assert losses['loss_aux_audio'].item() == pytest.approx(expected.item(), rel=1e-5)
    model.eval()
    before = model(inputs, mode='tensor')
    with torch.no_grad():
        for p in model.aux_head.parameters():
            p.add_(1.0)
    assert torch.equal(before, model(inputs, mode='tensor'))


def test_fuse_weight_adds_the_auxiliary_logits_everywhere_the_network_classifies() -> None:
    torch.manual_seed(0)
    model = MODELS.build(_network(dict(AUX, fuse_weight=0.5)))
    model.init_weights()
    model.eval()
    inputs = _inputs(2, views=2)
    video, audio = model.embed(inputs)
    aux = model.aux_head(video[:, 0] if video.dim() == 3 else video, audio)
    fused = model.cls_head(model.neck(video, audio))
    expected = fused + 0.5 * (aux['video'] + aux['audio'])
    assert torch.allclose(model(inputs, mode='tensor'), expected, atol=1e-6)
    # prediction: softmax of the summed logits, averaged over each clip's 2 views
    scores = torch.stack([s.pred_scores.item for s in model.predict(inputs, _samples([0, 1]))])
    assert torch.allclose(scores, expected.softmax(-1).view(2, 2, 3).mean(1), atol=1e-6)
    # the labeled loss is the cross-entropy of the summed logits
    model.train()
    torch.manual_seed(1)
    one = _inputs(2)
    losses = model(one, _samples([0, 2]), mode='loss')
    logits = model(one, mode='tensor')
    ce = torch.nn.functional.cross_entropy(logits, torch.tensor([0, 2]))
    assert losses['loss_cls'].item() == pytest.approx(ce.item(), rel=1e-5)


def test_modality_weights_scale_each_classifier_inside_the_sum() -> None:
    torch.manual_seed(0)
    weighted = dict(AUX, fuse_weight=2.0, modality_weights=dict(video=0.25))
    model = MODELS.build(_network(weighted))
    model.init_weights()
    model.eval()
    inputs = _inputs(3)
    video, audio = model.embed(inputs)
    aux = model.aux_head(video[:, 0] if video.dim() == 3 else video, audio)
    fused = model.cls_head(model.neck(video, audio))
    # fused + 2 * (0.25 * video + 1 * audio): audio keeps the default weight 1
    expected = fused + 2.0 * (0.25 * aux['video'] + aux['audio'])
    assert torch.allclose(model(inputs, mode='tensor'), expected, atol=1e-6)
    assert model.aux_head.modality_weights == {'video': 0.25, 'audio': 1.0}
    # weight 0 leaves that classifier out of the prediction (its own loss still trains it)
    silent = MODELS.build(_network(dict(AUX, fuse_weight=1.0, modality_weights=dict(video=0))))
    silent.load_state_dict(model.state_dict())
    silent.eval()
    assert torch.allclose(silent(inputs, mode='tensor'), fused + aux['audio'], atol=1e-6)


def test_audio_loss_trains_only_the_audio_encoder() -> None:
    model = MODELS.build(_network())
    model.init_weights()
    losses = model(_inputs(2), _samples([0, 1]), mode='loss')
    losses['loss_aux_audio'].backward()
    assert all(p.grad is None or p.grad.abs().sum() == 0 for p in model.backbone.parameters())
    assert any(
        p.grad is not None and p.grad.abs().sum() > 0 for p in model.audio_backbone.parameters()
    )  # noqa: E501
    assert model.cls_head.fc_cls.weight.grad is None


def test_semi_recognizer_adds_the_losses_on_labeled_clips_only() -> None:
    torch.manual_seed(0)
    model = MODELS.build(
        dict(
            type='AVSemiRecognizer',
            network=_network(),
            threshold_cfg=dict(type='FixedThreshold', tau=0.5),
            mix_cfg=None,
            temporal_warp_cfg=None,
        )
    )
    model.init_weights()
    model.train()
    inputs = {'labeled': _inputs(1), 'weak': _inputs(2), 'strong': _inputs(2)}
    samples = {
        'labeled': _samples([2]),
        'weak': _samples([0, 1], index=True),
        'strong': _samples([0, 1], index=True),
    }
    out = model(inputs, samples, mode='loss')
    assert {'loss_sup', 'loss_unlabeled', 'loss_aux_video', 'loss_aux_audio'} <= set(out)
    video, audio = model.student.embed(inputs['labeled'])
    logits = model.student.aux_head(video[:, 0] if video.dim() == 3 else video, audio)['video']
    expected = torch.nn.functional.cross_entropy(logits, torch.tensor([2]))
    assert out['loss_aux_video'].item() == pytest.approx(expected.item(), rel=1e-5)
    unlabeled_only = model({k: inputs[k] for k in ('weak', 'strong')}, samples, mode='loss')
    assert not any(k.startswith('loss_aux') for k in unlabeled_only)


@pytest.mark.parametrize(
    'cfg, match',
    [
        (dict(type='UnimodalAuxHead', num_classes=3), 'video_dims, audio_dims or both'),
        (dict(AUX, num_classes=1), 'num_classes >= 2'),
        (dict(AUX, num_classes=3, loss_weight=-1.0), 'loss_weight must be >= 0'),
        (dict(AUX, num_classes=3, fuse_weight=-0.5), 'fuse_weight must be >= 0'),
        (
            dict(AUX, num_classes=3, modality_weights=dict(depth=1.0)),
            r"unknown modalities \['depth'\]",
        ),
        (
            dict(AUX, num_classes=3, modality_weights=dict(video=-1.0)),
            'modality_weights must be >= 0',
        ),
    ],
)
def test_bad_head_configs_are_named(cfg: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        MODELS.build(cfg)


def test_errors_name_the_missing_modality_and_mismatched_labels() -> None:
    with pytest.raises(ValueError, match=r"classifiers for \['audio'\]"):
        MODELS.build(_network(audio=False))
    head = MODELS.build(dict(AUX, num_classes=3))
    with pytest.raises(ValueError, match='got no audio'):
        head(torch.randn(2, 24), None)
    with pytest.raises(ValueError, match='2 video embeddings for 3 labels'):
        head.loss(torch.randn(2, 24), torch.randn(2, 16), torch.tensor([0, 1, 2]))
