"""One-line swaps users rely on: threshold modules and mix modules, and ViT-B sizes."""

from __future__ import annotations

import pytest
import torch
from mmengine.config import Config

from avssl.registry import MODELS
from avssl.utils.cli import check_cfg_options

TINY = 'configs/svformer_tiny_synthav_1shot_flex.py'


@pytest.mark.parametrize('config', [TINY, 'configs/avssl_tiny_synthav_1shot_tube_contrast.py'])
@pytest.mark.parametrize(
    'threshold', ['FixedThreshold', 'FlexMatchThreshold', 'FreeMatchThreshold']
)
def test_threshold_swap_by_cfg_options(config: str, threshold: str) -> None:
    cfg = Config.fromfile(config)
    options = {'model.threshold_cfg.type': threshold}
    check_cfg_options(cfg, options)
    cfg.merge_from_dict(options)
    model = MODELS.build(cfg.model)
    assert type(model.threshold).__name__ == threshold
    assert model.threshold.num_classes == 10  # filled from the network's head


def test_mix_swap_to_none_and_back() -> None:
    cfg = Config.fromfile(TINY)
    cfg.merge_from_dict({'model.mix_cfg.type': 'TubeTokenMix', 'model.mix_cfg.count': 'floor'})
    model = MODELS.build(cfg.model)
    assert model.mixer.count == 'floor'


def test_vitb_svformer_parameter_counts() -> None:
    cfg = Config.fromfile('configs/svformer_vitb_ucf51_1shot_flex.py')
    with torch.device('meta'):
        model = MODELS.build(cfg.model)
    backbone = sum(p.numel() for p in model.student.backbone.parameters())
    assert backbone == 121_258_752  # mmaction2's TimeSformer ViT-B at 8x224x224: 121.26M
    head = sum(p.numel() for p in model.student.cls_head.parameters())
    assert head == 768 * 51 + 51
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    assert trainable == backbone + head  # the teacher is not trained


@pytest.mark.parametrize('contrast', [False, True])
def test_vitb_audio_visual_parameter_counts(contrast: bool) -> None:
    suffix = '_contrast' if contrast else ''
    cfg = Config.fromfile(f'configs/avssl_vitb_ucf51_1shot_tube{suffix}.py')
    with torch.device('meta'):
        model = MODELS.build(cfg.model)
    student = model.student

    def count(module: torch.nn.Module) -> int:
        return sum(p.numel() for p in module.parameters() if p.requires_grad)

    assert count(student.backbone) == 121_258_752
    # AST-style ViT-B/16 over 256x128 log-mel: 128 patches + class token, one input channel.
    assert count(student.audio_backbone) == 85_353_216
    # Six ViT-B-width fusion layers (7.09M each) + modality embeddings + final norm.
    assert count(student.neck) == 42_530_304
    assert count(model) == count(student)  # teacher frozen; contrast: no projection at 768
    # beside the paper's 254M (docs/method.md section 11)
    assert round(count(model) / 1e6, 1) == 249.2
    assert (model.contrast is not None) == contrast
    assert cfg.optim_wrapper.optimizer.weight_decay == 1e-3


def test_mask_swap_in_one_line_and_the_vitb_method_sizes() -> None:
    cfg = Config.fromfile('configs/avssl_vitb_ucf51_1shot.py')
    with torch.device('meta'):
        model = MODELS.build(cfg.model)
    assert type(model.mixer).__name__ == 'ASLGuidedMix'
    assert (model.mixer.alpha, model.mixer.beta) == (5.0, 10.0)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    assert round(trainable / 1e6, 1) == 249.2  # the frozen localizer adds no trainable weight
    localizer = sum(p.numel() for p in model.localizer.parameters())
    assert 20e6 < localizer < 25e6  # two ResNet-18 trunks + projections
    options = {'model.mix_cfg': dict(type='TubeTokenMix', _delete_=True)}
    tube = Config.fromfile('configs/avssl_vitb_ucf51_1shot.py')
    tube.merge_from_dict(options)
    with torch.device('meta'):
        swapped = MODELS.build(tube.model)
    assert type(swapped.mixer).__name__ == 'TubeTokenMix' and swapped.localizer is None
