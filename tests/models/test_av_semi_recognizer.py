"""AVSemiRecognizer: losses and diagnostics, mixed target/weight maths, teacher handling."""

from __future__ import annotations

import pytest
import torch
from helpers import TINY_VIDEO, labeled_samples
from mmengine.logging import MessageHub

from avssl.models.mixers import MixOutput
from avssl.registry import MODELS

VIDEO = dict(TINY_VIDEO, type='MixableTimeSformer')


def _model(**kwargs: object) -> torch.nn.Module:
    torch.manual_seed(0)
    cfg = dict(
        type='AVSemiRecognizer',
        network=dict(
            type='AVRecognizer',
            backbone=VIDEO,
            cls_head=dict(
                type='TimeSformerHead', num_classes=3, in_channels=24, average_clips='prob'
            ),
        ),
        threshold_cfg=dict(type='FixedThreshold', tau=0.5),
        mix_cfg=dict(type='TubeTokenMix', seed=0),
        temporal_warp_cfg=dict(type='TemporalWarp', seed=0),
    )
    cfg.update(kwargs)
    return MODELS.build(cfg)


def _samples(labels: list[int], index: bool = False) -> list:
    return labeled_samples(labels, 10 if index else None)


def _batch(n_lab: int = 1, n_unl: int = 2) -> tuple[dict, dict]:
    def clips(n: int) -> dict:
        return {'imgs': torch.randn(n, 1, 3, 2, 32, 32)}

    inputs = {'labeled': clips(n_lab), 'weak': clips(n_unl), 'strong': clips(n_unl)}
    samples = {
        'labeled': _samples([0] * n_lab),
        'weak': _samples([1] * n_unl, index=True),
        'strong': _samples([1] * n_unl, index=True),
    }
    return inputs, samples


def test_losses_diagnostics_and_gradients() -> None:
    model = _model()
    model.train()
    assert not model.teacher.training  # the teacher always runs in eval mode
    out = model(*_batch(), mode='loss')
    assert {'loss_sup', 'loss_unlabeled', 'loss_mix'} <= set(out)
    for key in ('pass_rate', 'teacher_conf', 'pseudo_acc', 'mix_lambda', 'mix_kept'):
        assert key in out and 'loss' not in key
    assert 0.0 <= out['pass_rate'] <= 1.0
    total = out['loss_sup'] + out['loss_unlabeled'] + out['loss_mix']
    total.backward()
    assert all(p.grad is None for p in model.teacher.parameters())
    assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in model.student.parameters())
    probs, indices = model.threshold_batch
    assert probs.shape == (2, 3) and indices.tolist() == [10, 11]


def _zero_logits(video: torch.Tensor | None, audio: torch.Tensor | None) -> torch.Tensor:
    # the mixed clips come as (None, None) from the patched mixed_features: 2 of them
    return torch.zeros(2 if video is None else video.shape[0], 3)


def test_mixed_target_and_weight_equal_hand_values(monkeypatch: pytest.MonkeyPatch) -> None:
    model = _model(gamma1=2.0, gamma2=2.0, temporal_warp_cfg=None)
    # Teacher probabilities: sample 0 confident in class 2 (passes tau 0.5), sample 1 not.
    logits = torch.log(torch.tensor([[0.1, 0.2, 0.7], [0.4, 0.35, 0.25]]))
    monkeypatch.setattr(model.teacher, 'forward', lambda inputs, mode='tensor': logits)
    fixed = MixOutput(
        mask=torch.ones(2, 2, 4, dtype=torch.bool),
        lam=torch.tensor([0.25, 0.75]),
        partner=torch.tensor([1, 0]),
    )
    monkeypatch.setattr(model.mixer, 'forward', lambda *a, **k: fixed)
    monkeypatch.setattr(model.student, 'mixed_features', lambda *a, **k: (None, None))
    monkeypatch.setattr(model.student, 'classify', _zero_logits)
    out = model(*_batch(), mode='loss')
    # y_0 = one-hot(2) = [0, 0, 1] (passed); y_1 = probs_1 = [0.4, 0.35, 0.25] (did not pass).
    # target_0 = 0.25 * y_0 + 0.75 * y_1 = [0.3, 0.2625, 0.4375]
    # target_1 = 0.75 * y_1 + 0.25 * y_0 = [0.3, 0.2625, 0.4375]
    # weight_0 = 0.25 * 1 + 0.75 * 0 = 0.25; weight_1 = 0.75 * 0 + 0.25 * 1 = 0.25
    # mse of zero logits: mean(target^2) = (0.09 + 0.06890625 + 0.19140625) / 3 = 0.1167708..
    per_sample = (0.09 + 0.06890625 + 0.19140625) / 3
    expected = 2.0 * (per_sample * 0.25 + per_sample * 0.25) / 2
    assert out['loss_mix'].item() == pytest.approx(expected, rel=1e-5)
    assert out['pass_rate'].item() == pytest.approx(0.5)
    soft = _model(mix_loss='soft_ce', temporal_warp_cfg=None)
    monkeypatch.setattr(soft.teacher, 'forward', lambda inputs, mode='tensor': logits)
    monkeypatch.setattr(soft.mixer, 'forward', lambda *a, **k: fixed)
    monkeypatch.setattr(soft.student, 'mixed_features', lambda *a, **k: (None, None))
    monkeypatch.setattr(soft.student, 'classify', _zero_logits)
    # soft CE against uniform predictions: -sum(target * log(1/3)) = log 3 for each sample.
    expected_ce = 2.0 * (torch.log(torch.tensor(3.0)).item() * 0.25 * 2) / 2
    assert soft(*_batch(), mode='loss')['loss_mix'].item() == pytest.approx(expected_ce, rel=1e-5)


def test_unlabeled_loss_uses_hard_pseudo_labels_and_the_mask(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = _model(mix_cfg=None, temporal_warp_cfg=None, gamma1=1.0)
    logits = torch.log(torch.tensor([[0.1, 0.2, 0.7], [0.4, 0.35, 0.25]]))
    monkeypatch.setattr(model.teacher, 'forward', lambda inputs, mode='tensor': logits)
    student_logits = torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    monkeypatch.setattr(model.student, 'classify', lambda *a: student_logits)
    out = model(*_batch(n_lab=2), mode='loss')  # 2 labeled clips: the fake logits fit both
    ce0 = -torch.log_softmax(student_logits[0], 0)[2].item()  # pseudo-label 2, passed
    assert out['loss_unlabeled'].item() == pytest.approx(ce0 / 2, rel=1e-5)  # sample 1 masked
    assert 'loss_mix' not in out


def test_oracle_pseudo_labels_replace_the_teacher_in_the_losses_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The teacher is sure of class 2 for both clips; their true class (_batch) is 1.
    logits = torch.log(torch.tensor([[0.05, 0.05, 0.9], [0.1, 0.1, 0.8]]))
    student_logits = torch.tensor([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]])
    outs = {}
    for source in ('teacher', 'oracle'):
        model = _model(mix_cfg=None, temporal_warp_cfg=None, gamma1=1.0, pseudo_labels=source)
        monkeypatch.setattr(model.teacher, 'forward', lambda inputs, mode='tensor': logits)
        monkeypatch.setattr(model.student, 'classify', lambda *a: student_logits)
        outs[source] = model(*_batch(n_lab=2), mode='loss')
        probs, _ = model.threshold_batch
        expected = torch.tensor([[0.0, 1.0, 0.0]] * 2) if source == 'oracle' else logits.exp()
        assert torch.allclose(probs, expected)  # what the threshold module learns from
    log_p = torch.log_softmax(student_logits, dim=1)
    # teacher: both pass tau 0.5 with label 2; oracle: both pass with their true label 1
    teacher_ce = -(log_p[0, 2] + log_p[1, 2]).item() / 2
    oracle_ce = -(log_p[0, 1] + log_p[1, 1]).item() / 2
    assert outs['teacher']['loss_unlabeled'].item() == pytest.approx(teacher_ce, rel=1e-5)
    assert outs['oracle']['loss_unlabeled'].item() == pytest.approx(oracle_ce, rel=1e-5)
    for source in ('teacher', 'oracle'):  # the diagnostics still describe the teacher
        assert outs[source]['pseudo_acc'].item() == 0.0
        assert outs[source]['teacher_conf'].item() == pytest.approx(0.85)
    assert outs['teacher']['pseudo_acc_passed'].item() == 0.0
    assert outs['oracle']['pseudo_acc_passed'].item() == 1.0


def test_noisy_oracle_moves_a_fixed_share_of_clips_to_a_wrong_class() -> None:
    model = _model(pseudo_labels='oracle', oracle_noise=0.3, oracle_seed=5)
    labels = torch.arange(2000) % 3
    indices = torch.arange(2000)
    noisy = model.noisy_oracle(labels, indices)
    wrong = noisy != labels
    assert 0.27 < wrong.float().mean().item() < 0.33  # 600 expected, binomial std 20
    assert ((noisy >= 0) & (noisy < 3)).all()
    # fixed per clip: the same clips, the same wrong classes, in any batch order and run
    order = torch.randperm(2000, generator=torch.Generator().manual_seed(0))
    assert torch.equal(model.noisy_oracle(labels[order], indices[order]), noisy[order])
    again = _model(pseudo_labels='oracle', oracle_noise=0.3, oracle_seed=5)
    assert torch.equal(again.noisy_oracle(labels, indices), noisy)
    other = _model(pseudo_labels='oracle', oracle_noise=0.3, oracle_seed=6)
    assert not torch.equal(other.noisy_oracle(labels, indices), noisy)
    # a higher rate corrupts a superset of the clips (same draws, larger cut)
    more = _model(pseudo_labels='oracle', oracle_noise=0.6, oracle_seed=5)
    assert ((more.noisy_oracle(labels, indices) != labels) | ~wrong).all()
    with pytest.raises(ValueError, match='oracle_noise must lie in'):
        _model(pseudo_labels='oracle', oracle_noise=1.0)
    with pytest.raises(ValueError, match="needs pseudo_labels='oracle'"):
        _model(oracle_noise=0.2)


def test_oracle_pseudo_labels_need_the_true_labels() -> None:
    model = _model(pseudo_labels='oracle')
    inputs, samples = _batch()
    for sample in samples['weak']:
        del sample.gt_labels
    with pytest.raises(ValueError, match=r"pseudo_labels='oracle' needs .* 0 of 2"):
        model(inputs, samples, mode='loss')


def test_predict_reports_both_models() -> None:
    model = _model(eval_model='student')
    model.eval()
    inputs = {'imgs': torch.randn(2, 3, 3, 2, 32, 32)}
    model.teacher.cls_head.fc_cls.bias.data += torch.tensor([5.0, 0.0, 0.0])  # teacher differs
    preds = model(inputs, _samples([0, 1]), mode='predict')
    for pred in preds:
        assert torch.equal(pred.pred_scores.item, pred.student_scores.item)
        assert not torch.equal(pred.student_scores.item, pred.teacher_scores.item)
        assert pred.pred_scores.item.shape == (3,)


def test_bad_arguments_are_named() -> None:
    with pytest.raises(ValueError, match='mix_loss must be one of'):
        _model(mix_loss='l1')
    with pytest.raises(ValueError, match="eval_model must be 'teacher' or 'student'"):
        _model(eval_model='ema')
    with pytest.raises(ValueError, match='pseudo_labels must be one of'):
        _model(pseudo_labels='truth')


def test_channel_dropout_zeroes_whole_channels() -> None:
    model = _model(channel_dropout=0.5)
    torch.manual_seed(1)
    imgs = torch.ones(8, 1, 3, 2, 4, 4)
    dropped = model._drop_channels(imgs)
    per_channel = dropped.flatten(3).amax(-1)  # (8, 1, 3): each channel all zero or all 2
    assert set(per_channel.unique().tolist()) <= {0.0, 2.0}
    assert (per_channel == 0).any() and (per_channel == 2).any()


def test_unsupervised_losses_ramp_up_with_the_iteration() -> None:
    from mmengine.logging import MessageHub

    model = _model(unsup_warmup_iters=10)
    hub = MessageHub.get_current_instance()
    weights = []
    for iteration in (0, 5, 10, 20):
        hub.update_info('iter', iteration)
        weights.append(model.unsup_weight())
    assert weights == [0.0, 0.5, 1.0, 1.0]
    hub.update_info('iter', 0)
    out = model(*_batch(), mode='loss')
    assert out['loss_unlabeled'].item() == 0.0 and out['loss_mix'].item() == 0.0
    assert _model().unsup_weight() == 1.0  # no warm-up: SVFormer's full weights at once


AUDIO = dict(
    type='AudioTransformer',
    input_tdim=32,
    input_fdim=16,
    patch_size=16,
    embed_dims=24,
    depth=1,
    num_heads=2,
)


def _av_model(**kwargs: object) -> torch.nn.Module:
    network = dict(
        type='AVRecognizer',
        backbone=VIDEO,
        audio_backbone=AUDIO,
        neck=dict(
            type='TransformerFusion',
            video_dims=24,
            audio_dims=24,
            embed_dims=24,
            num_layers=1,
            num_heads=2,
        ),
        cls_head=dict(type='TimeSformerHead', num_classes=3, in_channels=24, average_clips='prob'),
    )
    return _model(network=network, **kwargs)


def _av_batch(n_lab: int = 1, n_unl: int = 3) -> tuple[dict, dict]:
    inputs, samples = _batch(n_lab, n_unl)
    for branch in inputs.values():
        branch['audio'] = torch.randn(branch['imgs'].shape[0], 1, 1, 32, 16)
    return inputs, samples


def test_audio_mixup_uses_the_video_mix_lambda_and_partner(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = _av_model(temporal_warp_cfg=None)
    inputs, samples = _av_batch()
    seen: dict[str, object] = {}
    mixer_forward = model.mixer.forward

    def spy_mixer(*args: object, **kwargs: object) -> MixOutput:
        seen['mix'] = mixer_forward(*args, **kwargs)
        return seen['mix']

    audio_forward = model.student.audio_backbone.forward

    def spy_audio(x: torch.Tensor) -> torch.Tensor:
        seen.setdefault('audio_inputs', []).append(x.detach().clone())
        return audio_forward(x)

    monkeypatch.setattr(model.mixer, 'forward', spy_mixer)
    monkeypatch.setattr(model.student.audio_backbone, 'forward', spy_audio)
    model(inputs, samples, mode='loss')
    mix = seen['mix']
    strong = inputs['strong']['audio'].flatten(0, 1)
    lam = mix.lam.view(-1, 1, 1, 1)
    expected = lam * strong + (1 - lam) * strong[mix.partner]
    # Calls: labeled, strong, mixed (in this order).
    assert torch.allclose(seen['audio_inputs'][-1], expected, atol=1e-6)
    assert not torch.allclose(expected, strong)  # the mix really took from other clips


def test_contrastive_loss_joins_with_its_weight_and_trains_both_encoders() -> None:
    model = _av_model(
        contrast_cfg=dict(type='AVContrastiveLoss', video_dims=24, audio_dims=24),
        gamma3=0.3,
    )
    model.train()
    out = model(*_av_batch(), mode='loss')
    assert {'loss_sup', 'loss_unlabeled', 'loss_mix', 'loss_contrast', 'contrast_acc'} <= set(out)
    # 1 labeled + 3 strong + 3 mixed pairs: chance level of the InfoNCE is log(7).
    assert 0.0 < out['loss_contrast'].item() < 0.3 * 3 * torch.log(torch.tensor(7.0)).item()
    out['loss_contrast'].backward()
    for part in (model.student.backbone, model.student.audio_backbone):
        assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in part.parameters())
    without = _av_model()(*_av_batch(), mode='loss')
    assert 'loss_contrast' not in without


def test_contrastive_loss_needs_both_modalities() -> None:
    with pytest.raises(ValueError, match='audio-visual'):
        _model(contrast_cfg=dict(type='AVContrastiveLoss', video_dims=24, audio_dims=24))


FNAC_TINY = dict(type='FNAC', width_mult=0.125, embed_dim=16, visual_last_stride=1, spec_mask=None)
PREPROCESSOR = dict(
    type='MultiBranchDataPreprocessor',
    data_preprocessor=dict(
        type='AVDataPreprocessor',
        mean=[114.75, 114.75, 114.75],
        std=[57.375, 57.375, 57.375],
        format_shape='NCTHW',
    ),
)


def _asl_model(checkpoint: str) -> torch.nn.Module:
    return _av_model(
        mix_cfg=dict(type='ASLGuidedMix', seed=0),
        localizer=dict(FNAC_TINY, checkpoint=checkpoint, config='configs/fnac_x.py'),
        data_preprocessor=PREPROCESSOR,
    )


def test_asl_mix_reads_a_frozen_localizer_loaded_at_init_weights(tmp_path) -> None:
    torch.manual_seed(1)
    trained = MODELS.build(FNAC_TINY)
    path = tmp_path / 'fnac.pth'
    torch.save({'state_dict': trained.state_dict(), 'meta': {}}, path)
    model = _asl_model(str(path))
    name, param = next(iter(model.localizer.named_parameters()))
    assert not torch.equal(param, trained.state_dict()[name])  # not read at construction
    model.init_weights()
    assert torch.equal(dict(model.localizer.named_parameters())[name], trained.state_dict()[name])
    model.train()
    assert not model.localizer.training  # frozen: stays in eval mode
    inputs, samples = _av_batch()
    inputs['strong']['asl_audio'] = torch.randn(3, 1, 48000) * 0.1
    maps = model.localization_maps(inputs['strong'])
    assert maps.shape == (3, 2, 2, 2)  # (B, T, h, w): one map per frame
    out = model(inputs, samples, mode='loss')
    sum(v for k, v in out.items() if k.startswith('loss')).backward()
    assert all(p.grad is None and not p.requires_grad for p in model.localizer.parameters())
    assert any(p.grad is not None for p in model.student.parameters())
    assert 0.0 < out['mix_kept'].item() < 1.0


def test_asl_mix_errors_name_the_localizer_config(tmp_path) -> None:
    with pytest.raises(FileNotFoundError, match='configs/fnac_x.py'):
        _asl_model(str(tmp_path / 'missing.pth')).init_weights()
    with pytest.raises(ValueError, match='model.localizer'):
        _av_model(mix_cfg=dict(type='ASLGuidedMix'))
    # The tube mix ignores a configured localizer: nothing is built.
    assert _av_model(localizer=dict(FNAC_TINY, checkpoint='x')).localizer is None


def test_supervised_start_then_ramp() -> None:
    hub = MessageHub.get_instance('test_unsup_start')
    model = _model(unsup_start_iter=10, unsup_warmup_iters=4)
    weights = []
    for it in (0, 9, 10, 11, 14, 20):
        hub.update_info('iter', it)
        weights.append(model.unsup_weight())
    assert weights == [0.0, 0.0, 0.0, 0.25, 1.0, 1.0]
    hub.update_info('iter', 9)
    out = model(*_batch(), mode='loss')
    assert out['loss_unlabeled'].item() == 0.0 and out['loss_mix'].item() == 0.0
    assert 'pass_rate' in out  # the teacher still runs: the threshold module keeps learning
    hub.update_info('iter', 0)
    with pytest.raises(ValueError, match='unsup_start_iter'):
        _model(unsup_start_iter=-1)


def test_teacher_sees_only_the_weak_views() -> None:
    model = _av_model(contrast_cfg=dict(type='AVContrastiveLoss', video_dims=24, audio_dims=24))
    model.train()
    inputs, samples = _av_batch()
    assert not torch.equal(inputs['weak']['imgs'], inputs['strong']['imgs'])
    assert not torch.equal(inputs['weak']['audio'], inputs['strong']['audio'])
    seen: dict[str, list[torch.Tensor]] = {'video': [], 'audio': []}
    for key, module in (('video', model.teacher.backbone), ('audio', model.teacher.audio_backbone)):
        module.register_forward_pre_hook(
            lambda _m, args, key=key: seen[key].append(args[0].detach().clone())
        )
    out = model(inputs, samples, mode='loss')
    assert {'loss_unlabeled', 'loss_mix', 'loss_contrast'} <= set(out)  # every branch ran
    # One teacher pass, on the weak clips exactly as given (no warp, no mix, no strong view).
    assert len(seen['video']) == 1 and len(seen['audio']) == 1
    assert torch.equal(seen['video'][0], inputs['weak']['imgs'].flatten(0, 1))
    assert torch.equal(seen['audio'][0], inputs['weak']['audio'].flatten(0, 1))


# A known mix of 3 clips on the (T=2, N=4) token grid: True = keep the clip's own token.
KNOWN_MIX = MixOutput(
    mask=torch.tensor(
        [
            [[True, False, False, True], [True, True, False, False]],
            [[False, False, False, False], [True, False, True, False]],
            [[True, True, True, False], [False, True, True, True]],
        ]
    ),
    lam=torch.tensor([0.5, 0.25, 0.75]),
    partner=torch.tensor([2, 0, 1]),
)


@pytest.mark.parametrize('channel_dropout', [0.0, 0.5])
def test_mixed_clip_takes_the_partners_tokens_where_the_mask_says(
    monkeypatch: pytest.MonkeyPatch, channel_dropout: float
) -> None:
    model = _model(temporal_warp_cfg=None, channel_dropout=channel_dropout)
    model.train()
    inputs, samples = _batch(n_unl=3)
    backbone = model.student.backbone
    embeds: list[tuple[torch.Tensor, torch.Tensor]] = []
    encodes: list[torch.Tensor] = []
    embed, encode = backbone.embed, backbone.encode

    def spy_embed(x: torch.Tensor) -> torch.Tensor:
        embeds.append((x.detach().clone(), embed(x).detach().clone()))
        return embed(x)

    def spy_encode(tokens: torch.Tensor) -> torch.Tensor:
        encodes.append(tokens.detach().clone())
        return encode(tokens)

    monkeypatch.setattr(model.mixer, 'forward', lambda *a, **k: KNOWN_MIX)
    monkeypatch.setattr(backbone, 'embed', spy_embed)
    monkeypatch.setattr(backbone, 'encode', spy_encode)
    torch.manual_seed(3)  # the channel dropout
    model(inputs, samples, mode='loss')

    strong = inputs['strong']['imgs'][:, 0]
    # Calls: labeled, strong (the student's view), then the mix: clips A, then the partners
    # (embedded again only when clips A were dropped, else clips A's tokens serve).
    assert len(embeds) == (4 if channel_dropout else 3) and len(encodes) == 3
    student_view, own_clips, partner_clips = embeds[1][0], embeds[2][0], embeds[-1][0]
    assert torch.equal(own_clips, student_view)  # clips A as the student saw them
    assert torch.equal(partner_clips, strong)  # partners: the strong views, never dropped
    if channel_dropout:
        assert not torch.equal(own_clips, strong)
    own = backbone.patch_embed(own_clips).reshape(3, 2, 4, -1)  # (B, T, N, D), independently
    partner_tokens = backbone.patch_embed(strong).reshape(3, 2, 4, -1)
    mixed = encodes[-1]
    assert mixed.shape == own.shape
    for b in range(3):
        p = int(KNOWN_MIX.partner[b])
        for t in range(2):
            for n in range(4):
                source = own[b, t, n] if KNOWN_MIX.mask[b, t, n] else partner_tokens[p, t, n]
                assert torch.allclose(mixed[b, t, n], source, atol=1e-6), (b, t, n)
                # The two candidates differ, so the check tells them apart.
                assert not torch.allclose(own[b, t, n], partner_tokens[p, t, n])


def test_contrastive_loss_includes_the_mixed_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    from avssl.models.losses.av_contrastive_loss import av_infonce

    model = _av_model(
        contrast_cfg=dict(type='AVContrastiveLoss', video_dims=24, audio_dims=24),
        gamma3=0.5,
        temporal_warp_cfg=None,
    )
    model.train()
    inputs, samples = _av_batch(n_lab=1, n_unl=3)
    student = model.student
    monkeypatch.setattr(model.mixer, 'forward', lambda *a, **k: KNOWN_MIX)
    pairs: list[tuple[torch.Tensor, torch.Tensor]] = []
    embed, mixed_features = student.embed, student.mixed_features

    def keep(out: tuple[torch.Tensor, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        pairs.append(tuple(student.first_token(x).detach().clone() for x in out))
        return out

    monkeypatch.setattr(student, 'embed', lambda *a, **k: keep(embed(*a, **k)))
    monkeypatch.setattr(student, 'mixed_features', lambda *a, **k: keep(mixed_features(*a, **k)))
    fed: list[tuple[torch.Tensor, torch.Tensor]] = []
    contrast = model.contrast.forward

    def spy_contrast(video: torch.Tensor, audio: torch.Tensor) -> tuple:
        fed.append((video.detach().clone(), audio.detach().clone()))
        return contrast(video, audio)

    monkeypatch.setattr(model.contrast, 'forward', spy_contrast)
    out = model(inputs, samples, mode='loss')

    # Labeled (1), strong (3) and mixed (3) pairs, in this order, in one batch.
    assert [p[0].shape[0] for p in pairs] == [1, 3, 3]
    assert len(fed) == 1 and fed[0][0].shape == (7, 24) and fed[0][1].shape == (7, 24)
    mixed_video, mixed_audio = pairs[2]
    assert torch.equal(fed[0][0][4:], mixed_video) and torch.equal(fed[0][1][4:], mixed_audio)
    # By hand (equal widths: no projection): InfoNCE over the 7 normalised pairs.
    video = torch.nn.functional.normalize(torch.cat([p[0] for p in pairs]), dim=-1)
    audio = torch.nn.functional.normalize(torch.cat([p[1] for p in pairs]), dim=-1)
    expected, _ = av_infonce(video, audio, model.contrast.temperature)
    assert out['loss_contrast'].item() == pytest.approx(0.5 * expected.item(), rel=1e-5)
    without_mixed, _ = av_infonce(video[:4], audio[:4], model.contrast.temperature)
    assert abs(without_mixed.item() - expected.item()) > 1e-3  # dropping them would show


def test_pseudo_label_agreement_keeps_labels_the_unimodal_heads_vouch_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    aux = dict(type='UnimodalAuxHead', video_dims=24, audio_dims=24, fuse_weight=1.0)
    network = dict(
        type='AVRecognizer',
        backbone=VIDEO,
        audio_backbone=AUDIO,
        neck=dict(type='ConcatFusion'),
        cls_head=dict(type='TimeSformerHead', num_classes=3, in_channels=48, average_clips='prob'),
        aux_head=aux,
    )
    # Teacher: all three clips pass tau 0.5 with pseudo-labels 2, 0, 1.
    fused = torch.log(torch.tensor([[0.1, 0.1, 0.8], [0.9, 0.05, 0.05], [0.1, 0.8, 0.1]]))
    # video head: 2, 0, 0; audio head: 2, 1, 1 -> video agrees on clips 0, 1, audio on 0, 2
    heads = {
        'video': torch.tensor([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [1.0, 0.0, 0.0]]),
        'audio': torch.tensor([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [0.0, 1.0, 0.0]]),
    }
    student_logits = torch.tensor([[1.0, 2.0, 3.0], [0.5, 0.0, 0.0], [0.0, 1.0, -1.0]])
    ce = -torch.log_softmax(student_logits, 1)[torch.arange(3), torch.tensor([2, 0, 1])]
    expected = {(): (ce.sum() / 3, None), ('video',): (ce[:2].sum() / 3, 2 / 3)}
    expected[('audio',)] = ((ce[0] + ce[2]) / 3, 2 / 3)
    expected[('video', 'audio')] = (ce[0] / 3, 1 / 3)
    for modalities, (loss, rate) in expected.items():
        model = _model(
            network=network,
            mix_cfg=None,
            temporal_warp_cfg=None,
            gamma1=1.0,
            pseudo_label_agreement=modalities,
        )
        monkeypatch.setattr(model.teacher, 'forward', lambda inputs, mode='tensor': fused)
        monkeypatch.setattr(model.teacher, 'classify', lambda video, audio: fused)
        monkeypatch.setattr(model.teacher.aux_head, 'forward', lambda video, audio: heads)
        monkeypatch.setattr(model.student, 'classify', lambda *a: student_logits)
        out = model(*_av_batch(n_lab=3), mode='loss')
        assert out['loss_unlabeled'].item() == pytest.approx(loss.item(), rel=1e-5), modalities
        if rate is None:
            assert 'agree_rate' not in out
        else:
            assert out['agree_rate'].item() == pytest.approx(rate)
            assert out['pass_rate'].item() == pytest.approx(rate)
        # the threshold module still sees every clip's probabilities
        assert model.threshold_batch[0].shape == (3, 3)


def test_pseudo_label_agreement_needs_the_unimodal_heads() -> None:
    with pytest.raises(ValueError, match=r"auxiliary classifiers for \['audio'\].*\[\]"):
        _av_model(pseudo_label_agreement=('audio',))


def test_modality_dropout_acts_on_the_student_only() -> None:
    model = _av_model(mix_cfg=dict(type='TubeTokenMix'))
    model.student.modality_dropout = 1.0  # every row the student classifies loses one input
    model.train()
    inputs, samples = _av_batch()
    seen: dict[str, list[tuple[torch.Tensor, torch.Tensor]]] = {'student': [], 'teacher': []}
    for name in seen:
        getattr(model, name).neck.register_forward_pre_hook(
            lambda _m, args, name=name: seen[name].append((args[0].detach(), args[1].detach()))
        )
    out = model(inputs, samples, mode='loss')
    assert {'loss_sup', 'loss_unlabeled', 'loss_mix'} <= set(out)
    assert len(seen['student']) == 3  # labeled, unlabeled (strong) and mixed clips
    for video, audio in seen['student']:
        video_zero = (video == 0).flatten(1).all(dim=1)
        audio_zero = (audio == 0).flatten(1).all(dim=1)
        assert (video_zero ^ audio_zero).all()
    ((video, audio),) = seen['teacher']  # the pseudo-labels see both inputs
    assert not (video == 0).flatten(1).all(dim=1).any()
    assert not (audio == 0).flatten(1).all(dim=1).any()


def _syncpool_network(follow_warp: bool = True) -> dict:
    return dict(
        type='AVRecognizer',
        backbone=dict(VIDEO, output='tokens'),
        audio_backbone=dict(AUDIO, output='tokens'),
        neck=dict(
            type='SyncPoolFusion',
            video_dims=24,
            audio_dims=24,
            embed_dims=24,
            num_layers=1,
            num_heads=2,
            num_frames=2,
            audio_grid=(2, 1),
            slots=[0, 1],
            follow_warp=follow_warp,
        ),
        cls_head=dict(type='TimeSformerHead', num_classes=3, in_channels=24, average_clips='prob'),
    )


def test_the_student_fusion_sees_the_warp_of_the_clips_it_fuses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = _model(network=_syncpool_network())
    seen: list = []
    neck = model.student.neck
    original = type(neck).source_weights

    def record(self, video, audio):  # noqa: ANN001, ANN202
        if self is neck:  # the student's (the teacher fuses the weak views, never warped)
            seen.append(None if self.frame_index is None else self.frame_index.clone())
        return original(self, video, audio)

    monkeypatch.setattr(type(neck), 'source_weights', record)
    inputs, samples = _av_batch(n_lab=1, n_unl=3)
    losses = model.loss(inputs, samples)
    assert torch.isfinite(sum(v for k, v in losses.items() if k.startswith('loss')))
    # the labeled clips are fused unwarped, the strong (and mixed) clips with the warp's indices
    assert seen[0] is None
    warp = model.temporal_warp.last_indices.reshape(-1, 2)
    assert len(seen) >= 2 and all(torch.equal(s, warp) for s in seen[1:])
    assert neck.frame_index is None  # cleared after the step
    assert model.teacher.neck.frame_index is None


def test_sync_loss_picks_the_own_audio_by_hand_and_trains_the_encoders() -> None:
    model = _model(network=_syncpool_network(), sync_loss_weight=0.5)
    torch.manual_seed(1)
    video, audio = torch.randn(3, 1 + 4 * 2, 24), torch.randn(3, 1 + 2, 24)
    loss, acc = model.sync_loss(video, audio, None)
    sync = model.student.neck.sync
    own, other = sync(video, audio), sync(video, audio[[1, 2, 0]])
    logits = torch.stack([own, other], dim=1)
    assert torch.allclose(loss, torch.nn.functional.cross_entropy(logits, torch.zeros(3).long()))
    assert acc == (own > other).float().mean()
    assert model.sync_loss(video[:1], audio[:1], None) is None  # one clip: no partner
    inputs, samples = _av_batch(n_lab=2, n_unl=3)
    losses = model.loss(inputs, samples)
    assert losses['loss_sync'] > 0 and 0.0 <= losses['sync_acc'] <= 1.0
    losses['loss_sync'].backward()
    grads = [p.grad for p in model.student.audio_backbone.parameters() if p.grad is not None]
    assert grads and any(g.abs().sum() > 0 for g in grads)
    off = _model(network=_syncpool_network())
    assert 'loss_sync' not in off.loss(*_av_batch(n_lab=2, n_unl=3))


def test_sync_loss_needs_a_synchrony_head() -> None:
    with pytest.raises(ValueError, match='needs a fusion with a synchrony head'):
        _av_model(sync_loss_weight=1.0)
    with pytest.raises(ValueError, match='sync_loss_weight must be >= 0'):
        _model(network=_syncpool_network(), sync_loss_weight=-1.0)


def _srcpool_network() -> dict:
    return dict(
        _syncpool_network(),
        neck=dict(
            type='SourcePoolFusion',
            video_dims=24,
            audio_dims=24,
            embed_dims=24,
            num_layers=1,
            num_heads=2,
            num_frames=2,
            top_fraction=0.25,
        ),
    )


def _srcpool_model(tmp_path, **kwargs: object) -> torch.nn.Module:
    """A recognizer whose fusion pools where a (random, frozen) tiny FNAC hears the sound."""
    torch.manual_seed(1)
    path = tmp_path / 'fnac.pth'
    torch.save({'state_dict': MODELS.build(FNAC_TINY).state_dict(), 'meta': {}}, path)
    cfg: dict = dict(
        network=_srcpool_network(),
        localizer=dict(FNAC_TINY, checkpoint=str(path), config='configs/fnac_x.py'),
        data_preprocessor=PREPROCESSOR,
    )
    cfg.update(kwargs)
    model = _model(**cfg)
    model.init_weights()
    return model


def _with_localizer_audio(inputs: dict) -> dict:
    """Each branch's raw localizer audio; clip i of a branch is marked by its loudness."""
    for branch, clips in inputs.items():
        n = clips['imgs'].shape[0]
        base = {'labeled': 1.0, 'weak': 2.0, 'strong': 3.0}[branch]
        clips['asl_audio'] = (base + torch.arange(n).float()).view(n, 1, 1).expand(n, 1, 48000)
    return inputs


@pytest.mark.parametrize('mix', ['TubeTokenMix', 'ASLGuidedMix'])
def test_every_fused_clip_gets_the_localizer_maps_of_the_clips_its_tokens_came_from(
    tmp_path, monkeypatch: pytest.MonkeyPatch, mix: str
) -> None:
    model = _srcpool_model(tmp_path, mix_cfg=dict(type=mix, seed=0))
    assert model.localizer is not None and model.source_pooling

    def fake_maps(clips: dict) -> torch.Tensor:  # (B, T, h, w) = the clip's loudness mark
        mark = clips['asl_audio'][:, 0, 0]
        return mark.view(-1, 1, 1, 1).expand(-1, 2, 2, 2).clone()

    monkeypatch.setattr(model, 'localization_maps', fake_maps)
    seen: list = []
    original = type(model.student.neck).forward

    def record(self, video, audio):  # noqa: ANN001, ANN202
        who = 'student' if self is model.student.neck else 'teacher'
        seen.append((who, None if self.source_maps is None else self.source_maps.clone()))
        return original(self, video, audio)

    monkeypatch.setattr(type(model.student.neck), 'forward', record)
    mixes: list = []
    mixer_forward = model.mixer.forward

    def keep_mix(*args, **kw):  # noqa: ANN002, ANN003, ANN202
        mixes.append(mixer_forward(*args, **kw))
        return mixes[-1]

    monkeypatch.setattr(model.mixer, 'forward', keep_mix)
    inputs, samples = _av_batch(n_lab=1, n_unl=3)
    model.train()
    losses = model.loss(_with_localizer_audio(inputs), samples)
    assert torch.isfinite(sum(v for k, v in losses.items() if k.startswith('loss')))
    marks = [maps[:, 0, 0, 0].tolist() for _, maps in seen]
    assert [who for who, _ in seen] == ['student', 'teacher', 'student', 'student']
    assert marks[0] == [1.0]  # the labeled clip
    assert marks[1] == [2.0, 3.0, 4.0]  # the teacher's weak views
    assert marks[2] == [3.0, 4.0, 5.0]  # the student's strong views
    # a mixed clip's token takes the map of the clip it came from
    (out,) = mixes
    strong = torch.tensor([3.0, 4.0, 5.0])
    keep = out.mask.bool().view(3, 2, 2, 2)
    expected = torch.where(keep, strong.view(3, 1, 1, 1), strong[out.partner].view(3, 1, 1, 1))
    assert torch.equal(seen[3][1], expected)
    assert model.student.neck.source_maps is None and model.teacher.neck.source_maps is None
    # prediction: both networks see the maps of the clips they score
    seen.clear()
    model.eval()
    test_inputs = {'imgs': inputs['labeled']['imgs'], 'audio': inputs['labeled']['audio']}
    test_inputs['asl_audio'] = torch.full((1, 1, 48000), 7.0)
    model.predict(test_inputs, _samples([0]))
    assert sorted(who for who, _ in seen) == ['student', 'teacher']
    assert all(maps[:, 0, 0, 0].tolist() == [7.0] for _, maps in seen)


def test_source_pooling_needs_a_localizer_and_the_localizer_audio(tmp_path) -> None:
    with pytest.raises(ValueError, match='SourcePoolFusion needs localization maps'):
        _model(network=_srcpool_network())
    model = _srcpool_model(tmp_path)
    inputs, samples = _av_batch(n_lab=1, n_unl=3)
    inputs = _with_localizer_audio(inputs)
    del inputs['labeled']['asl_audio']
    with pytest.raises(KeyError, match='LoadLocalizerAudio'):
        model.loss(inputs, samples)
    # the real localizer's maps of every branch reach the loss: one step trains the student
    inputs = _with_localizer_audio(_av_batch(n_lab=1, n_unl=3)[0])
    losses = model.loss(inputs, samples)
    sum(v for k, v in losses.items() if k.startswith('loss')).backward()
    assert model.student.neck.source_proj.weight.grad is not None
    assert all(p.grad is None for p in model.localizer.parameters())
