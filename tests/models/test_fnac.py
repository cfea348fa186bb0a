"""FNAC: trunk, spectrogram, map, hand-computed loss terms, training, frozen mode, weights."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
import torchvision
from mmaction.structures import ActionDataSample
from mmengine.logging import MessageHub
from torch import nn

from avssl.models.localizers import (
    FNAC,
    LogSpectrogram,
    ResNet18Trunk,
    convert_fnac_state_dict,
    fnac_loss_terms,
    gaussian_kernel1d,
    is_official_fnac_state_dict,
    load_fnac_weights,
    random_spec_masks,
    smooth_maps,
)
from avssl.models.localizers.fnac_losses import (
    foreground_features,
    max_pooled_logits,
    symmetric_infonce,
)
from avssl.registry import MODELS

TINY = dict(width_mult=0.125, embed_dim=16, visual_last_stride=1)  # widths 8/16/32/64


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _batch(b: int = 4, size: int = 64, samples: int = 4000, seed: int = 0) -> dict:
    g = torch.Generator().manual_seed(seed)
    return {
        'imgs': torch.randn(b, 1, 3, size, size, generator=g),
        'asl_audio': 0.1 * torch.randn(b, 1, samples, generator=g),
    }


# ----------------------------------------------------------------------------- building blocks
def test_trunk_has_torchvision_keys_and_output() -> None:
    ref = torchvision.models.resnet18(weights=None).eval()
    trunk = ResNet18Trunk().eval()
    ref_shapes = {k: v.shape for k, v in ref.state_dict().items() if not k.startswith('fc.')}
    assert {k: v.shape for k, v in trunk.state_dict().items()} == ref_shapes
    trunk.load_state_dict({k: v for k, v in ref.state_dict().items() if not k.startswith('fc.')})
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        expected = nn.Sequential(*list(ref.children())[:-2])(x)
        assert torch.allclose(trunk(x), expected, atol=1e-5)
    tiny = ResNet18Trunk(widths=(8, 16, 32, 64), last_stride=1)
    assert tiny(torch.randn(1, 3, 112, 112)).shape == (1, 64, 7, 7)
    assert tiny.output_size(112, 112) == (7, 7)
    assert ResNet18Trunk(widths=(8, 16, 32, 64)).output_size(224, 224) == (7, 7)


def test_spectrogram_matches_scipy() -> None:
    signal = pytest.importorskip('scipy.signal')
    rng = np.random.default_rng(0)
    # Loud enough that clipping to [-1, 1] (as FNAC's loader does) matters.
    wave = (0.5 * rng.standard_normal(16000) + 0.3 * np.sin(np.arange(16000) * 0.05)).astype(
        np.float32
    )
    _, _, power = signal.spectrogram(np.clip(wave, -1, 1), 16000, nperseg=512, noverlap=274)
    expected = np.log(power + 1e-7) / 12.0
    spec = LogSpectrogram()(torch.from_numpy(wave)[None])
    assert spec.shape == (1, 1, 257, (16000 - 512) // 238 + 1) == (1, 1, *expected.shape)
    assert np.abs(spec[0, 0].numpy() - expected).max() < 1e-4
    # 3 s at 16 kHz: the paper's 257 x 200.
    assert LogSpectrogram().num_frames(48000) == 200


def test_spec_masks_zero_one_band_and_span() -> None:
    spec = torch.ones(3, 1, 20, 30)
    out = random_spec_masks(spec, 6, 6, generator=torch.Generator().manual_seed(0))
    for item in out[:, 0]:
        rows = (item == 0).all(dim=1).sum()
        cols = (item == 0).all(dim=0).sum()
        assert rows <= 5 and cols <= 5
    assert torch.equal(random_spec_masks(spec, 0, 0), spec)


# ----------------------------------------------------------------------------- map
def test_map_shape_range_and_definition() -> None:
    model = FNAC(**TINY, tau=0.03).eval()
    batch = _batch()
    frames, audio = batch['imgs'][:, 0], batch['asl_audio'][:, 0]
    maps = model.localization_map(frames, audio)
    assert maps.shape == (4, 4, 4)  # 64 / 16 with layer4 stride 1
    assert maps.abs().max() <= 1 / 0.03 + 1e-4
    visual = model.encode_visual(frames)
    emb = model.encode_audio(audio)
    assert torch.allclose(visual.norm(dim=1), torch.ones(4, 4, 4), atol=1e-5)
    assert torch.allclose(emb.norm(dim=1), torch.ones(4), atol=1e-5)
    cosine = nn.functional.cosine_similarity(visual, emb[:, :, None, None], dim=1)
    assert torch.allclose(maps, cosine / 0.03, atol=1e-4)
    # Several frames per clip share the clip's audio (clip-major order).
    two = model.localization_map(frames.repeat_interleave(2, dim=0), audio, frames_per_clip=2)
    assert torch.allclose(two[::2], maps, atol=1e-5) and torch.allclose(two[1::2], maps, atol=1e-5)
    with pytest.raises(ValueError, match='expected audio'):
        model.localization_map(frames, audio[:2])
    # input_size resizes other frame sizes to the configured one: same grid.
    sized = FNAC(**TINY, input_size=(64, 64)).eval()
    assert sized.localization_map(torch.randn(2, 3, 48, 48), audio[:2]).shape == (2, 4, 4)


def test_predict_and_tensor_modes_through_the_preprocessor() -> None:
    model = FNAC(**TINY).eval()
    data = {
        'inputs': {
            'imgs': [torch.randint(0, 256, (1, 3, 64, 64), dtype=torch.uint8) for _ in range(2)],
            'asl_audio': [0.1 * torch.randn(1, 4000) for _ in range(2)],
        },
        'data_samples': [ActionDataSample() for _ in range(2)],
    }
    out = model.test_step(data)
    assert len(out) == 2 and out[0].pred_map.shape == (4, 4)
    processed = model.data_preprocessor(data, False)
    assert processed['inputs']['imgs'].shape == (2, 1, 3, 64, 64)
    # ImageNet normalisation, not the classifier's 0.45 / 0.225.
    raw = data['inputs']['imgs'][0][0, 0].float()
    assert torch.allclose(processed['inputs']['imgs'][0, 0, 0], (raw - 123.675) / 58.395)
    maps = model(processed['inputs'], mode='tensor')
    assert torch.allclose(maps[0], out[0].pred_map, atol=1e-5)
    with pytest.raises(ValueError, match='one frame per clip'):
        model({'imgs': torch.randn(2, 2, 3, 64, 64), 'asl_audio': torch.randn(2, 4000)})


# ----------------------------------------------------------------------------- losses
def _hand_tensors() -> tuple[torch.Tensor, torch.Tensor]:
    """B = 2 images on a 1 x 2 grid, C = 2, unit features; two unit audio embeddings.

    image 0: v(p0) = (1, 0), v(p1) = (0, 1); image 1: v(p0) = v(p1) = (1, 0);
    audio 0: (1, 0); audio 1: (0, 1).
    """
    visual = torch.tensor(
        [[[[1.0, 0.0]], [[0.0, 1.0]]], [[[1.0, 1.0]], [[0.0, 0.0]]]]
    )  # (B, C, h=1, w=2)
    audio = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    return visual, audio


def test_loss_terms_match_hand_computation() -> None:
    visual, audio = _hand_tensors()
    terms = fnac_loss_terms(visual, audio, tau=1.0)
    s = _sigmoid(1.0)  # softmax([1, 0])[0] = e / (e + 1)
    # S_00 = [1, 0], S_01 = [0, 1], S_10 = [1, 1], S_11 = [0, 0]  ->  L = [[1, 1], [1, 0]].
    assert torch.equal(terms['logits'], torch.tensor([[1.0, 1.0], [1.0, 0.0]]))
    # Rows: CE([1, 1], 0) = log 2, CE([1, 0], 1) = log(1 + e); columns: L^T = L here, the same.
    # Each direction averages its two rows; 'sum' adds the directions.
    infonce = math.log(2) + math.log(1 + math.e)
    assert terms['infonce'].item() == pytest.approx(infonce, abs=1e-6)
    assert symmetric_infonce(terms['logits'], 'mean').item() == pytest.approx(infonce / 2)
    # fn_audio: softmax(A = I) rows [s, 1-s], [1-s, s]; softmax(L) rows [.5, .5], [s, 1-s].
    # |s - .5| + |1-s - .5| + |1-s - s| + |s - (1-s)| = (2s - 1) + 2(2s - 1) = 6s - 3, over 4.
    assert terms['fn_audio'].item() == pytest.approx((6 * s - 3) / 4, abs=1e-6)
    # tn: map S_00 = [1, 0] -> normalised [~1, 0] -> foreground p0 -> f0 = (1, 0); map S_11 =
    # [0, 0] -> no foreground -> f1 = 0. F = [[1, 0], [0, 0]]: softmax rows [s, 1-s], [.5, .5]
    # vs A's [s, 1-s], [1-s, s]: only row 1 differs, by 2(s - .5) in all, over 4.
    assert terms['tn'].item() == pytest.approx((2 * s - 1) / 4, abs=1e-6)
    # fn_image: spatial means m0 = (.5, .5), m1 = (1, 0): I = [[.5, .5], [.5, 1]], softmax rows
    # [.5, .5], [sig(-.5), sig(.5)] vs softmax(L) [.5, .5], [s, 1-s]: 2(s - sig(-.5)) over 4.
    assert terms['fn_image'].item() == pytest.approx((s - _sigmoid(-0.5)) / 2, abs=1e-6)


def test_foreground_pooling_modes_and_temperature() -> None:
    visual, audio = _hand_tensors()
    maps = torch.tensor([[[1.0, 0.0]], [[0.0, 0.0]]])
    assert torch.allclose(foreground_features(visual, maps), torch.tensor([[1.0, 0], [0, 0]]))
    # FNAC's code divides the foreground sum by all h * w = 2 locations.
    grid = foreground_features(visual, maps, pool='grid')
    assert torch.allclose(grid, torch.tensor([[0.5, 0], [0, 0]]))
    terms = fnac_loss_terms(visual, audio, tau=1.0, fg_pool='grid')
    s = _sigmoid(1.0)
    # F = [[.25, 0], [0, 0]]: row 0 softmax [sig(.25), 1 - sig(.25)] vs A's [s, 1 - s].
    expected = (2 * (s - _sigmoid(0.25)) + (2 * s - 1)) / 4
    assert terms['tn'].item() == pytest.approx(expected, abs=1e-6)
    # The temperature divides every similarity: tau = 0.5 doubles L.
    half = fnac_loss_terms(visual, audio, tau=0.5)
    assert torch.allclose(half['logits'], 2 * terms['logits'])


def test_warmup_reads_the_message_hub_iteration() -> None:
    hub = MessageHub.get_instance('test_fnac_warmup')  # the newest instance is the current one
    model = FNAC(**TINY, warmup_iters=5, visual_dropout=0.0, spec_mask=None)
    batch = _batch()
    hub.update_info('iter', 4)
    losses = model.loss(batch)
    assert set(losses) == {'loss_infonce', 'loss_fn_audio', 'loss_tn', 'loss_fn_image'}
    assert all(losses[k].item() == 0 and not losses[k].requires_grad for k in list(losses)[1:])
    hub.update_info('iter', 5)
    after = model.loss(batch)
    raw = fnac_loss_terms(
        model.encode_visual(batch['imgs'][:, 0]),
        model.encode_spectrogram(model.spectrogram(batch['asl_audio'][:, 0])),
        model.tau,
    )
    for name in ('fn_audio', 'tn', 'fn_image'):
        assert after[f'loss_{name}'].item() == pytest.approx(100 * raw[name].item(), rel=1e-4)
        assert after[f'loss_{name}'].requires_grad
    hub.update_info('iter', 0)


def test_mean_pooled_logits_before_mean_pool_iters() -> None:
    hub = MessageHub.get_instance('test_fnac_mean_pool')
    model = FNAC(**TINY, mean_pool_iters=3, visual_dropout=0.0, spec_mask=None)
    batch = _batch()
    visual = model.encode_visual(batch['imgs'][:, 0])
    audio = model.encode_spectrogram(model.spectrogram(batch['asl_audio'][:, 0]))
    maps = torch.einsum('nchw,mc->nmhw', visual, audio) / model.tau
    by_mean = symmetric_infonce(maps.mean(dim=(-2, -1)))
    by_max = symmetric_infonce(maps.amax(dim=(-2, -1)))
    assert abs(by_mean.item() - by_max.item()) > 1e-4  # the test can tell them apart
    hub.update_info('iter', 2)
    assert model.loss(batch)['loss_infonce'].item() == pytest.approx(by_mean.item(), rel=1e-4)
    hub.update_info('iter', 3)
    assert model.loss(batch)['loss_infonce'].item() == pytest.approx(by_max.item(), rel=1e-4)
    hub.update_info('iter', 0)
    with pytest.raises(ValueError, match='logit_pool'):
        fnac_loss_terms(visual, audio, 0.1, logit_pool='median')


def test_max_pooled_logits_take_each_maps_maximum() -> None:
    maps = torch.tensor([[[[4.0, 1.0], [3.0, 0.0]], [[-1.0, -2.0], [-3.0, -0.5]]]])  # 1 x 2 pairs
    assert max_pooled_logits(maps).tolist() == [[4.0, -0.5]]


@pytest.mark.parametrize('removed', [dict(max_pool_topk=2), dict(spectrogram_pool=(2, 2))])
def test_removed_options_are_rejected(removed: dict) -> None:
    # Tried on SynthAV and removed (docs/fnac.md): a config still naming one fails at build.
    with pytest.raises(TypeError, match=next(iter(removed))):
        FNAC(**TINY, **removed)


def test_training_steps_decrease_infonce() -> None:
    torch.manual_seed(0)
    model = FNAC(**TINY, warmup_iters=10**6, visual_dropout=0.0, spec_mask=None).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    batch = _batch(b=8, seed=1)
    values = []
    for _ in range(10):
        loss = model.loss(batch)['loss_infonce']
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        values.append(loss.item())
    assert values[-1] < values[0] - 0.5, values


# ----------------------------------------------------------------------------- frozen mode
def test_frozen_mode_has_no_gradient_and_stays_in_eval() -> None:
    class Outer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.localizer = FNAC(**TINY).freeze()
            self.head = nn.Linear(16, 1)

    outer = Outer()
    outer.train()
    assert outer.training and outer.head.training
    assert not any(m.training for m in outer.localizer.modules())
    assert not any(p.requires_grad for p in outer.localizer.parameters())
    batch = _batch()
    frames, audio = batch['imgs'][:, 0], batch['asl_audio'][:, 0]
    first = outer.localizer.localization_map(frames, audio)
    second = outer.localizer.localization_map(frames, audio)
    assert torch.equal(first, second)  # no dropout, fixed batch-norm statistics
    assert not first.requires_grad
    loss = outer.head(first.flatten(1)).sum()
    loss.backward()
    assert outer.head.weight.grad is not None
    assert all(p.grad is None for p in outer.localizer.parameters())
    # Without freeze, training mode turns dropout on (0.9): maps differ between calls.
    live = FNAC(**TINY).train()
    assert not torch.equal(
        live.localization_map(frames, audio), live.localization_map(frames, audio)
    )


# ----------------------------------------------------------------------------- weights
def test_visual_pretrained_is_loaded_strictly(tmp_path: Path) -> None:
    source = ResNet18Trunk(widths=(8, 16, 32, 64), last_stride=1)
    state = {**source.state_dict(), 'fc.weight': torch.zeros(10, 64), 'fc.bias': torch.zeros(10)}
    torch.save(state, tmp_path / 'imagenet.pth')
    model = FNAC(**TINY, visual_pretrained=str(tmp_path / 'imagenet.pth'))
    model.init_weights()
    for key, value in source.state_dict().items():
        assert torch.equal(model.visual_net.state_dict()[key], value), key
    wrong = ResNet18Trunk(widths=(4, 8, 16, 32)).state_dict()
    torch.save(wrong, tmp_path / 'wrong.pth')
    with pytest.raises(ValueError, match='shape mismatch'):
        FNAC(**TINY, visual_pretrained=str(tmp_path / 'wrong.pth')).init_weights()
    torch.save({'conv1.weight': wrong['conv1.weight']}, tmp_path / 'partial.pth')
    with pytest.raises(ValueError, match='missing'):
        FNAC(**TINY, visual_pretrained=str(tmp_path / 'partial.pth')).init_weights()


class _OfficialFNAC(nn.Module):
    """The official release's module layout, from torchvision ResNet-18s (random weights)."""

    def __init__(self) -> None:
        super().__init__()
        self.imgnet = torchvision.models.resnet18(weights=None)
        self.imgnet.avgpool = nn.Identity()
        self.imgnet.fc = nn.Identity()
        self.img_proj = nn.Conv2d(512, 512, kernel_size=(1, 1))
        self.audnet = torchvision.models.resnet18(weights=None)
        self.audnet.conv1 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.audnet.avgpool = nn.AdaptiveMaxPool2d((1, 1))
        self.audnet.fc = nn.Identity()
        self.aud_proj = nn.Linear(512, 512)

    def forward(self, image: torch.Tensor, spec: torch.Tensor) -> torch.Tensor:
        img = self.imgnet(image).unflatten(1, (512, 7, 7))
        img = nn.functional.normalize(self.img_proj(img), dim=1)
        aud = nn.functional.normalize(self.aud_proj(self.audnet(spec)), dim=1)
        return torch.einsum('nchw,nc->nhw', img, aud) / 0.03


def test_official_checkpoint_maps_and_loads_strictly(tmp_path: Path) -> None:
    torch.manual_seed(0)
    official = _OfficialFNAC().eval()
    wrapped = {'model': {f'module.{k}': v for k, v in official.state_dict().items()}, 'epoch': 3}
    assert is_official_fnac_state_dict(wrapped['model'])
    converted, report = convert_fnac_state_dict(wrapped['model'])
    assert ('module.imgnet.layer4.1.bn2.weight', 'visual_net.layer4.1.bn2.weight') in [
        (f'module.{a}', b) for a, b in report.mapped
    ]
    assert ('aud_proj.bias', 'audio_proj.bias') in report.mapped
    assert ('audnet.conv1.weight', 'audio_net.conv1.weight') in report.mapped
    model = FNAC().eval()  # the paper's sizes
    model.load_state_dict(converted, strict=True)
    # Same function: the official forward on FNAC's spectrogram equals our map.
    image = torch.randn(1, 3, 224, 224)
    wave = 0.1 * torch.randn(1, 48000)
    with torch.no_grad():
        expected = official(image, model.spectrogram(wave))
        assert torch.allclose(model.localization_map(image, wave), expected, atol=1e-3)
    # The same file through FNAC(pretrained=...) (official format detected and converted).
    torch.save(wrapped, tmp_path / 'official.pth')
    other = FNAC(pretrained=str(tmp_path / 'official.pth'))
    other.init_weights()
    assert torch.equal(other.audio_proj.weight, official.aud_proj.weight)
    with pytest.raises(ValueError, match='not part of an official FNAC'):
        convert_fnac_state_dict({**wrapped['model'], 'module.extra.weight': torch.zeros(1)})
    with pytest.raises(ValueError, match='shape mismatch'):
        load_fnac_weights(FNAC(**TINY), tmp_path / 'official.pth')


def test_build_from_registry_with_default_preprocessor() -> None:
    model = MODELS.build(dict(type='FNAC', **TINY))
    assert type(model).__name__ == 'FNAC'
    assert type(model.data_preprocessor).__name__ == 'AVDataPreprocessor'
    with pytest.raises(KeyError, match='unknown terms'):
        FNAC(**TINY, loss_weights=dict(fn_audi=1.0))


def test_smooth_maps_hand_values_and_edges() -> None:
    kernel = gaussian_kernel1d(1.0)
    weights = torch.exp(-(torch.arange(-2.0, 3.0) ** 2) / 2)
    assert torch.allclose(kernel, weights / weights.sum())
    delta = torch.zeros(2, 7, 7)
    delta[:, 3, 3] = 1.0
    out = smooth_maps(delta, 1.0)
    centre = (weights[2] / weights.sum()) ** 2
    assert torch.allclose(out[:, 3, 3], centre.expand(2))
    assert torch.allclose(out[:, 3, 4], (weights[2] * weights[3] / weights.sum() ** 2).expand(2))
    # normalised convolution: a constant map stays constant, borders included
    const = torch.full((1, 7, 7), 3.0)
    assert torch.allclose(smooth_maps(const, 1.5), const)
    assert smooth_maps(delta, 0.0) is delta
    with pytest.raises(ValueError, match='sigma'):
        gaussian_kernel1d(0.0)


def test_map_sigma_smooths_the_map_and_the_training_logits() -> None:
    torch.manual_seed(0)
    plain = FNAC(**TINY, spec_mask=None).eval()
    smooth = FNAC(**TINY, spec_mask=None, map_sigma=1.0).eval()
    smooth.load_state_dict(plain.state_dict())
    batch = _batch()
    frames, audio = batch['imgs'][:, 0], batch['asl_audio'][:, 0]
    raw = plain.localization_map(frames, audio)
    assert torch.allclose(smooth.localization_map(frames, audio), smooth_maps(raw, 1.0), atol=1e-5)
    visual, emb = torch.randn(3, 4, 5, 5), torch.randn(3, 4)
    visual, emb = F.normalize(visual, dim=1), F.normalize(emb, dim=1)
    terms = fnac_loss_terms(visual, emb, 0.1, map_sigma=1.0)
    maps = smooth_maps(torch.einsum('nchw,mc->nmhw', visual, emb) / 0.1, 1.0)
    assert torch.allclose(terms['logits'], maps.flatten(2).amax(-1), atol=1e-5)
    with pytest.raises(ValueError, match='map_sigma'):
        FNAC(**TINY, map_sigma=-1.0)
