"""ModalityGate: hand-computed gating, fallbacks, errors, and the recognizer's pseudo-label path."""

from __future__ import annotations

import pytest
import torch
from test_av_semi_recognizer import AUDIO, VIDEO, _av_batch, _av_model, _model

from avssl.models.pseudo_labels import ModalityGate
from avssl.registry import MODELS


def test_gate_keeps_the_classes_at_or_above_chance_and_renormalises() -> None:
    gate = ModalityGate()
    probs = torch.tensor([[0.5, 0.3, 0.15, 0.05], [0.1, 0.2, 0.3, 0.4]])
    # softmax of these logits: row 0 [0.05, 0.45, 0.45, 0.05] -> classes 1, 2 (>= 1/4);
    # row 1 -> class 0 only
    logits = torch.log(torch.tensor([[0.05, 0.45, 0.45, 0.05], [0.7, 0.1, 0.1, 0.1]]))
    gated, kept = gate(probs, logits)
    assert torch.allclose(gated[0], torch.tensor([0.0, 0.3, 0.15, 0.0]) / 0.45)
    assert torch.allclose(gated[1], torch.tensor([1.0, 0.0, 0.0, 0.0]))
    assert kept.tolist() == [2, 1]
    assert gated.argmax(dim=1).tolist() == [1, 0]  # the ungated argmax was 0 and 3


def test_a_flat_modality_keeps_every_class_and_changes_nothing() -> None:
    probs = torch.softmax(torch.randn(3, 5), dim=1)
    gated, kept = ModalityGate(modality='video')(probs, torch.zeros(3, 5))
    # float32 softmax of equal logits is 1/5 rounded, compared with 1/5: every class stays
    assert kept.tolist() == [5, 5, 5]
    assert torch.allclose(gated, probs)


def test_a_floor_no_class_reaches_or_an_empty_gate_falls_back_to_the_ungated_vector() -> None:
    probs = torch.tensor([[0.6, 0.4, 0.0], [0.2, 0.3, 0.5]])
    # floor 0.5: row 0's modality rates no class that high -> ungated; row 1 keeps class 2
    logits = torch.log(torch.tensor([[0.4, 0.3, 0.3], [0.2, 0.2, 0.6]]))
    gated, kept = ModalityGate(floor=0.5)(probs, logits)
    assert torch.allclose(gated[0], probs[0]) and kept[0].item() == 3
    assert torch.allclose(gated[1], torch.tensor([0.0, 0.0, 1.0])) and kept[1].item() == 1
    # chance floor: row 0 allows only class 2, where the teacher puts no mass -> ungated
    only_two = torch.log(torch.tensor([[0.1, 0.1, 0.8], [0.1, 0.1, 0.8]]))
    gated, kept = ModalityGate()(probs, only_two)
    assert torch.allclose(gated[0], probs[0]) and kept[0].item() == 3
    assert torch.allclose(gated[1], torch.tensor([0.0, 0.0, 1.0]))


def test_bad_settings_and_shapes_name_the_problem() -> None:
    with pytest.raises(ValueError, match="modality must be one of .*'text'"):
        ModalityGate(modality='text')
    with pytest.raises(ValueError, match='floor must lie in'):
        ModalityGate(floor=0.0)
    with pytest.raises(
        ValueError, match=r'teacher probabilities \(2, 3\) and audio logits \(2, 4\)'
    ):
        ModalityGate()(torch.ones(2, 3) / 3, torch.zeros(2, 4))
    with pytest.raises(ValueError, match=r'shape \(B, C\)'):
        ModalityGate().allowed(torch.zeros(3))


def _aux_network() -> dict:
    return dict(
        type='AVRecognizer',
        backbone=VIDEO,
        audio_backbone=AUDIO,
        neck=dict(type='ConcatFusion'),
        cls_head=dict(type='TimeSformerHead', num_classes=3, in_channels=48, average_clips='prob'),
        aux_head=dict(type='UnimodalAuxHead', video_dims=24, audio_dims=24, fuse_weight=1.0),
    )


def test_the_recognizer_gates_pseudo_labels_and_logs_raw_accuracy_and_kept_classes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # every unlabeled clip's true class is 1 (_batch)
    teacher = torch.tensor([[0.5, 0.3, 0.2], [0.2, 0.7, 0.1], [0.1, 0.2, 0.7]])
    # audio classifier: clip 0 allows {1, 2}, clip 1 only {0}, clip 2 {0, 1}
    audio = torch.log(torch.tensor([[0.1, 0.45, 0.45], [0.8, 0.1, 0.1], [0.49, 0.49, 0.02]]))
    model = _model(
        network=_aux_network(),
        mix_cfg=None,
        temporal_warp_cfg=None,
        gamma1=1.0,
        threshold_cfg=dict(type='FixedThreshold', tau=0.0),
        pseudo_label_gate_cfg=dict(type='ModalityGate', modality='audio'),
    )
    monkeypatch.setattr(model.teacher, 'classify', lambda video, audio_: teacher.log())
    monkeypatch.setattr(
        model.teacher.aux_head, 'forward', lambda video, audio_: dict(video=-audio, audio=audio)
    )
    student = torch.tensor([[1.0, 2.0, 3.0], [0.5, 0.0, 0.0], [0.0, 1.0, -1.0]])
    monkeypatch.setattr(model.student, 'classify', lambda *a: student)  # 3 rows: n_lab=3
    out = model(*_av_batch(n_lab=3), mode='loss')
    # gated: [0, 0.6, 0.4] -> 1, [1, 0, 0] -> 0, [1/3, 2/3, 0] -> 1; raw argmax 0, 1, 2
    expected = torch.tensor([[0.0, 0.6, 0.4], [1.0, 0.0, 0.0], [1 / 3, 2 / 3, 0.0]])
    assert torch.allclose(model.threshold_batch[0], expected)
    pseudo = torch.tensor([1, 0, 1])
    ce = -torch.log_softmax(student, dim=1)[torch.arange(3), pseudo]
    assert out['loss_unlabeled'].item() == pytest.approx(ce.mean().item(), rel=1e-5)
    assert out['pseudo_acc'].item() == pytest.approx(2 / 3)
    assert out['pseudo_acc_raw'].item() == pytest.approx(1 / 3)
    assert out['gate_classes'].item() == pytest.approx(5 / 3)
    assert out['teacher_conf'].item() == pytest.approx((0.6 + 1.0 + 2 / 3) / 3, rel=1e-5)


def test_without_a_gate_nothing_is_logged_and_a_gate_needs_the_modality_classifier() -> None:
    model = _av_model()
    model.train()
    assert model.pseudo_label_gate is None
    assert 'gate_classes' not in model(*_av_batch(), mode='loss')
    with pytest.raises(
        ValueError,
        match=r"pseudo_label_gate_cfg needs auxiliary classifiers for \['audio'\].*\[\]",
    ):
        _av_model(pseudo_label_gate_cfg=dict(type='ModalityGate'))


def test_registered_and_swappable_by_config() -> None:
    gate = MODELS.build(dict(type='ModalityGate', modality='video', floor=0.2))
    assert isinstance(gate, ModalityGate) and gate.modality == 'video' and gate.floor == 0.2
