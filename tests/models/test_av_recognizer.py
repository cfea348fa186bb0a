"""AVRecognizer: modalities, view averaging, errors, and a few real training iterations."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from helpers import REPO, TINY_AUDIO, TINY_VIDEO, run_tool, tiny_train_config
from mmaction.structures import ActionDataSample
from mmengine.structures import LabelData

from avssl.registry import MODELS

VIDEO = TINY_VIDEO
AUDIO = TINY_AUDIO


def _model(video: bool = True, audio: bool = True) -> torch.nn.Module:
    width = (24 if video else 0) + (16 if audio else 0)
    torch.manual_seed(0)
    return MODELS.build(
        dict(
            type='AVRecognizer',
            backbone=VIDEO if video else None,
            audio_backbone=AUDIO if audio else None,
            cls_head=dict(
                type='TimeSformerHead', num_classes=3, in_channels=width, average_clips='prob'
            ),
        )
    )


def _inputs(batch: int, views: int) -> dict[str, torch.Tensor]:
    return {
        'imgs': torch.randn(batch, views, 3, 2, 32, 32),
        'audio': torch.randn(batch, views, 1, 32, 32),
    }


def _samples(labels: list[int]) -> list[ActionDataSample]:
    out = []
    for label in labels:
        sample = ActionDataSample()
        sample.gt_labels = LabelData(item=torch.tensor([label]))
        out.append(sample)
    return out


@pytest.mark.parametrize('video, audio', [(True, True), (True, False), (False, True)])
def test_modalities_and_shapes(video: bool, audio: bool) -> None:
    model = _model(video, audio)
    logits = model(_inputs(2, 1), mode='tensor')
    assert logits.shape == (2, 3)
    losses = model(_inputs(2, 1), _samples([0, 2]), mode='loss')
    assert losses['loss_cls'].requires_grad
    expected = tuple(m for m, on in (('video', video), ('audio', audio)) if on)
    assert model.modalities == expected


def test_audio_only_model_ignores_frames() -> None:
    model = _model(video=False).eval()
    inputs = _inputs(2, 1)
    a = model(inputs, mode='tensor')
    inputs['imgs'] = torch.randn_like(inputs['imgs'])
    assert torch.equal(a, model(inputs, mode='tensor'))
    del inputs['imgs']
    assert torch.equal(a, model(inputs, mode='tensor'))


def test_predict_averages_the_views() -> None:
    model = _model().eval()
    inputs = _inputs(2, 3)
    with torch.no_grad():
        preds = model(inputs, _samples([0, 1]), mode='predict')
        per_view = model(inputs, mode='tensor').softmax(-1).view(2, 3, 3).mean(1)
    for i, pred in enumerate(preds):
        torch.testing.assert_close(pred.pred_scores.item, per_view[i])


def _aux_model(**kwargs: object) -> torch.nn.Module:
    torch.manual_seed(0)
    return MODELS.build(
        dict(
            type='AVRecognizer',
            backbone=VIDEO,
            audio_backbone=AUDIO,
            cls_head=dict(
                type='TimeSformerHead', num_classes=3, in_channels=40, average_clips='prob'
            ),
            aux_head=dict(type='UnimodalAuxHead', video_dims=24, audio_dims=16, fuse_weight=1.0),
            **kwargs,
        )
    )


def test_predict_gate_keeps_the_classes_the_audio_classifier_finds_plausible() -> None:
    plain = _aux_model().eval()
    gated = _aux_model(predict_gate_cfg=dict(type='ModalityGate', modality='audio')).eval()
    gated.load_state_dict(plain.state_dict())
    inputs = _inputs(2, 3)
    with torch.no_grad():
        # by hand, per view: the summed prediction's softmax, zeroed where the audio
        # classifier's softmax is below 1/3, renormalised; then the mean over the 3 views
        video, audio = plain.embed(inputs)
        probs = plain.classify(video, audio).softmax(-1)
        audio_probs = plain.aux_head(plain.first_token(video), plain.first_token(audio))['audio']
        keep = audio_probs.softmax(-1) >= 1 / 3
        expected = probs * keep
        expected = (expected / expected.sum(-1, keepdim=True)).view(2, 3, 3).mean(1)
        preds = gated(inputs, _samples([0, 1]), mode='predict')
        # training and raw logits are not gated
        torch.testing.assert_close(gated(inputs, mode='tensor'), plain(inputs, mode='tensor'))
    for i, pred in enumerate(preds):
        torch.testing.assert_close(pred.pred_scores.item, expected[i])
    assert not keep.all()  # the gate acted on some view
    with pytest.raises(
        ValueError,
        match=r"predict_gate_cfg needs auxiliary classifiers for \['audio'\] in aux_head.*\[\]",
    ):
        MODELS.build(
            dict(
                type='AVRecognizer',
                backbone=VIDEO,
                audio_backbone=AUDIO,
                cls_head=dict(type='TimeSformerHead', num_classes=3, in_channels=40),
                predict_gate_cfg=dict(type='ModalityGate'),
            )
        )


def test_missing_inputs_are_named() -> None:
    with pytest.raises(KeyError, match=r"needs the inputs \['audio'\]"):
        _model()({'imgs': torch.randn(1, 1, 3, 2, 32, 32)}, mode='tensor')
    with pytest.raises(ValueError, match='needs a backbone, an audio_backbone or both'):
        MODELS.build(dict(type='AVRecognizer', cls_head=dict(type='TimeSformerHead')))


def test_tiny_av_config_trains_and_tests(tiny_synthav: Path, tmp_path: Path) -> None:
    cfg = tiny_train_config(
        'configs/sup_tiny_synthav_5shot_av.py', tiny_synthav, tmp_path, max_iters=3, batch_size=4
    )
    cfg.dump(str(tmp_path / 'cfg.py'))
    proc = run_tool(['tools/train.py', str(tmp_path / 'cfg.py')], cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-3000:]
    ckpt = torch.load(tmp_path / 'iter_3.pth', weights_only=True, map_location='cpu')
    assert any(k.startswith('audio_backbone.') for k in ckpt['state_dict'])
    proc = run_tool(
        ['tools/test.py', str(tmp_path / 'cfg.py'), str(tmp_path), '--work-dir', str(tmp_path)],
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    metrics = (tmp_path / 'test_metrics.json').read_text()
    assert '"acc/top1"' in metrics


def test_frozen_modules_take_no_gradient_and_the_rest_trains() -> None:
    torch.manual_seed(0)
    cfg = dict(
        type='AVRecognizer',
        backbone=VIDEO,
        audio_backbone=AUDIO,
        cls_head=dict(type='TimeSformerHead', num_classes=3, in_channels=40),
    )
    model = MODELS.build(dict(cfg, frozen_modules=('backbone', 'audio_backbone')))
    assert not any(p.requires_grad for p in model.backbone.parameters())
    assert not any(p.requires_grad for p in model.audio_backbone.parameters())
    model.train()
    model.classify(*model.embed(_inputs(2, 1))).sum().backward()
    assert all(p.grad is None for p in model.backbone.parameters())
    assert all(p.grad is None for p in model.audio_backbone.parameters())
    assert model.cls_head.fc_cls.weight.grad.abs().sum() > 0
    # the same numbers as the unfrozen network: freezing changes what trains, not the forward
    torch.manual_seed(0)
    plain = MODELS.build(cfg).eval()
    inputs = _inputs(2, 1)
    assert torch.equal(model.eval()(inputs, mode='tensor'), plain(inputs, mode='tensor'))
    with pytest.raises(ValueError, match=r"unknown part 'neck'"):
        MODELS.build(dict(cfg, frozen_modules=('neck',)))
    with pytest.raises(ValueError, match=r"names 'audio_backbone', which this network does not"):
        MODELS.build(dict(cfg, audio_backbone=None, frozen_modules=('audio_backbone',)))
