"""Tests of the AST-style audio backbone and the image-ViT -> audio checkpoint converter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from timm.models.vision_transformer import VisionTransformer
from torch import Tensor

import avssl.models.backbones  # noqa: F401  (registers the backbones)
from avssl.models.backbones import AudioTransformer
from avssl.models.backbones.vit_checkpoint import (
    convert_image_vit_to_audio,
    load_converted_state_dict,
    unwrap_state_dict,
)
from avssl.registry import MODELS

#: A tiny audio model: 64 frames x 32 mel bins -> a 4 x 2 patch grid.
TINY = dict(input_tdim=64, input_fdim=32, patch_size=16, embed_dims=24, depth=2, num_heads=2)


def tiny_image_vit(embed_dim: int = 24, depth: int = 2) -> VisionTransformer:
    """A tiny timm image ViT (32 x 32 image, 16 x 16 patches -> 2 x 2 grid, 5 classes)."""
    torch.manual_seed(1)
    return VisionTransformer(
        img_size=32, patch_size=16, embed_dim=embed_dim, depth=depth, num_heads=2, num_classes=5
    )


def save_state(tmp_path: Path, state: object, name: str = 'vit.pth') -> Path:
    path = tmp_path / name
    torch.save(state, path)
    return path


def test_output_shapes() -> None:
    x = torch.randn(3, 1, 64, 32)
    cls_model = AudioTransformer(**TINY, output='cls').eval()
    tok_model = AudioTransformer(**TINY, output='tokens').eval()
    assert cls_model.grid_size == (4, 2)
    assert cls_model.num_patches == 8
    assert cls_model(x).shape == (3, 24)
    assert tok_model(x).shape == (3, 1 + 8, 24)
    assert cls_model.forward_features(x).shape == (3, 9, 24)
    # 'cls' is the first of the normalised tokens.
    tok_model.load_state_dict(cls_model.state_dict())
    torch.testing.assert_close(cls_model(x), tok_model(x)[:, 0])


@pytest.mark.parametrize(
    ('shape', 'pattern'),
    [
        ((2, 1, 48, 32), r'\(2, 1, 48, 32\).*input_tdim, input_fdim\) = \(64, 32\)'),
        ((2, 1, 70, 32), r'\(70, 32\) is not divisible by patch_size 16'),
        ((2, 1, 64, 16), r'\(B, 1, 64, 32\).*\(64, 16\) differs'),
        ((2, 64, 32), r'\(B, 1, 64, 32\).*got \(2, 64, 32\)'),
        ((2, 3, 64, 32), r'got \(2, 3, 64, 32\)'),
    ],
)
def test_bad_input_shape_raises(shape: tuple[int, ...], pattern: str) -> None:
    model = AudioTransformer(**TINY)
    with pytest.raises(ValueError, match=pattern):
        model(torch.randn(*shape))


def test_bad_config_raises() -> None:
    with pytest.raises(ValueError, match=r'\(60, 32\) must be divisible by patch_size 16'):
        AudioTransformer(**{**TINY, 'input_tdim': 60})
    with pytest.raises(ValueError, match='output must be one of'):
        AudioTransformer(**TINY, output='mean')
    with pytest.raises(ValueError, match='not divisible by num_heads'):
        AudioTransformer(**{**TINY, 'num_heads': 5})


def test_build_from_registry() -> None:
    model = MODELS.build(dict(type='AudioTransformer', **TINY, output='tokens'))
    assert isinstance(model, AudioTransformer)
    assert model(torch.randn(1, 1, 64, 32)).shape == (1, 9, 24)


def test_drop_path_rates_increase_linearly() -> None:
    model = AudioTransformer(**{**TINY, 'depth': 3}, drop_path_rate=0.2)
    rates = [float(getattr(b.drop_path1, 'drop_prob', 0.0)) for b in model.blocks]
    assert rates == pytest.approx([0.0, 0.1, 0.2])


def _wrap(state: dict[str, Tensor], how: str) -> object:
    if how == 'plain':
        return state
    if how == 'model+module':
        return {'model': {f'module.{k}': v for k, v in state.items()}, 'epoch': 3}
    if how == 'state_dict+backbone':
        return {'meta': {}, 'state_dict': {f'backbone.{k}': v for k, v in state.items()}}
    raise AssertionError(how)


@pytest.mark.parametrize('how', ['plain', 'model+module', 'state_dict+backbone'])
def test_load_timm_vit_checkpoint(tmp_path: Path, how: str) -> None:
    vit = tiny_image_vit()
    src = {k: v.clone() for k, v in vit.state_dict().items()}
    path = save_state(tmp_path, _wrap(src, how))

    model = AudioTransformer(**TINY, pretrained=str(path))
    before = {k: v.clone() for k, v in model.state_dict().items()}
    # Nothing is read at construction.
    torch.testing.assert_close(model.pos_embed.detach(), before['pos_embed'])
    model.init_weights()
    state = model.state_dict()

    # Patch embedding: 3 channels averaged to 1.
    expected_patch = src['patch_embed.proj.weight'].mean(dim=1, keepdim=True)
    assert state['patch_embed.proj.weight'].shape == (24, 1, 16, 16)
    torch.testing.assert_close(state['patch_embed.proj.weight'], expected_patch)
    torch.testing.assert_close(state['patch_embed.proj.bias'], src['patch_embed.proj.bias'])
    # Position embeddings: class position kept, 2 x 2 grid resized to the 4 x 2 audio grid.
    torch.testing.assert_close(state['pos_embed'][:, 0], src['pos_embed'][:, 0])
    grid = src['pos_embed'][:, 1:].reshape(1, 2, 2, 24).permute(0, 3, 1, 2)
    resized = F.interpolate(grid, size=(4, 2), mode='bilinear', align_corners=False)
    torch.testing.assert_close(
        state['pos_embed'][:, 1:], resized.permute(0, 2, 3, 1).reshape(1, 8, 24)
    )
    # Blocks, class token and final norm copied unchanged.
    assert torch.equal(state['blocks.1.attn.qkv.weight'], src['blocks.1.attn.qkv.weight'])
    assert torch.equal(state['blocks.0.mlp.fc2.bias'], src['blocks.0.mlp.fc2.bias'])
    assert torch.equal(state['cls_token'], src['cls_token'])
    assert torch.equal(state['norm.weight'], src['norm.weight'])
    # The head is dropped; every other tensor is the file's, unchanged.
    assert not any(k.startswith('head') for k in state)
    assert set(state) == set(src) - {'head.weight', 'head.bias'}
    for key in set(state) - {'patch_embed.proj.weight', 'pos_embed'}:
        assert torch.equal(state[key], src[key]), key
    model(torch.randn(1, 1, 64, 32))


def test_load_report_and_head_dropped(tmp_path: Path) -> None:
    vit = tiny_image_vit()
    model = AudioTransformer(**TINY)
    report = model.load_pretrained(str(save_state(tmp_path, vit.state_dict())))
    assert report.expected == len(model.state_dict())
    assert len(report.loaded) == report.expected
    assert report.missing == []
    assert report.unexpected == []  # head.* dropped by the converter, not left over


def test_extra_and_missing_blocks_reported() -> None:
    deep = tiny_image_vit(depth=3).state_dict()
    converted, report = convert_image_vit_to_audio(deep, grid_size=(4, 2), depth=2)
    assert report.source_depth == 3
    assert report.extra_blocks == [2]
    assert not any(k.startswith('blocks.2.') for k in converted)
    assert any(k.startswith('blocks.2.') for k in report.dropped)
    assert 'head.weight' in report.dropped
    assert 'extra block' in report.summary()

    shallow = tiny_image_vit(depth=2).state_dict()
    model = AudioTransformer(**{**TINY, 'depth': 3})
    init_qkv = model.blocks[2].attn.qkv.weight.detach().clone()
    converted, report = convert_image_vit_to_audio(shallow, model.grid_size, model.depth)
    assert report.missing_blocks == [2]
    assert 'only 2 blocks' in report.summary()
    load = load_converted_state_dict(model, converted, 'shallow.pth', conversion=report)
    assert load.missing == [k for k in model.state_dict() if k.startswith('blocks.2.')]
    assert torch.equal(model.blocks[2].attn.qkv.weight, init_qkv)
    assert torch.equal(model.blocks[1].attn.qkv.weight, shallow['blocks.1.attn.qkv.weight'])


def test_mismatched_keys_raise(tmp_path: Path) -> None:
    resnet_like = {
        'conv1.weight': torch.randn(8, 3, 7, 7),
        'bn1.weight': torch.ones(8),
        'bn1.bias': torch.zeros(8),
        'layer1.0.conv1.weight': torch.randn(8, 8, 3, 3),
        'fc.weight': torch.randn(5, 8),
        'fc.bias': torch.zeros(5),
    }
    path = save_state(tmp_path, {'state_dict': resnet_like}, name='resnet.pth')
    model = AudioTransformer(**TINY, pretrained=str(path))
    expected = len(model.state_dict())
    with pytest.raises(ValueError) as info:
        model.init_weights()
    message = str(info.value)
    assert str(path) in message
    assert f'0 / {expected}' in message
    assert 'cls_token' in message and 'conv1.weight' in message
    # At most 10 missing keys are listed, then a count of the rest.
    assert f'({expected - 10} more)' in message


def test_half_matching_checkpoint_raises(tmp_path: Path) -> None:
    state = tiny_image_vit().state_dict()
    partial = {k: v for k, v in state.items() if not k.startswith('blocks.')}
    path = save_state(tmp_path, partial)
    model = AudioTransformer(**TINY)
    with pytest.raises(ValueError, match=rf'only 6 / {len(model.state_dict())} model tensors'):
        model.load_pretrained(str(path))


def test_shape_mismatch_raises(tmp_path: Path) -> None:
    path = save_state(tmp_path, tiny_image_vit(embed_dim=32).state_dict(), name='vit32.pth')
    model = AudioTransformer(**TINY, pretrained=str(path))
    with pytest.raises(ValueError) as info:
        model.init_weights()
    message = str(info.value)
    assert str(path) in message
    assert re.search(r"shape mismatch for 'cls_token'.*\(1, 1, 32\) vs model \(1, 1, 24\)", message)


def test_missing_file_raises(tmp_path: Path) -> None:
    path = tmp_path / 'nowhere' / 'vit_b16.pth'
    model = AudioTransformer(**TINY, pretrained=str(path))  # builds without the file
    with pytest.raises(FileNotFoundError) as info:
        model.init_weights()
    assert str(path) in str(info.value)
    assert 'pretrained' in str(info.value)


def test_unwrap_state_dict() -> None:
    t = torch.zeros(1)
    nested = {'model': {'state_dict': {'module.backbone.a': t, 'module.b': t}}, 'step': 1}
    assert list(unwrap_state_dict(nested)) == ['a', 'b']
    with pytest.raises(ValueError, match='collide'):
        unwrap_state_dict({'module.a': t, 'a': t})
    with pytest.raises(ValueError, match='no tensors found'):
        unwrap_state_dict({'meta': {'x': 1}})


def test_vit_b_parameter_count_on_meta() -> None:
    with torch.device('meta'):
        model = AudioTransformer()
    assert model.pos_embed.is_meta
    d, p, depth, hidden = 768, 16, 12, 4 * 768
    n = (256 // p) * (128 // p)  # 16 x 8 = 128 patches
    patch = d * 1 * p * p + d
    tokens = d + (1 + n) * d  # class token + position embeddings
    block = (
        2 * d  # norm1
        + d * 3 * d + 3 * d  # qkv
        + d * d + d  # attention output projection
        + 2 * d  # norm2
        + d * hidden + hidden  # fc1
        + hidden * d + d  # fc2
    )  # fmt: skip
    final_norm = 2 * d
    expected = patch + tokens + depth * block + final_norm
    assert expected == 85_353_216
    assert sum(p.numel() for p in model.parameters()) == expected


def test_gradients_reach_all_parameters() -> None:
    torch.manual_seed(0)
    model = AudioTransformer(**TINY, drop_rate=0.1, drop_path_rate=0.1).train()
    model(torch.randn(2, 1, 64, 32)).pow(2).sum().backward()
    for name, param in model.named_parameters():
        assert param.grad is not None, name
        assert param.grad.abs().sum() > 0, name


def test_same_seed_same_model() -> None:
    torch.manual_seed(123)
    a = AudioTransformer(**TINY)
    torch.manual_seed(123)
    b = AudioTransformer(**TINY)
    torch.manual_seed(124)
    c = AudioTransformer(**TINY)
    sa, sb, sc = a.state_dict(), b.state_dict(), c.state_dict()
    assert all(torch.equal(sa[k], sb[k]) for k in sa)
    assert not all(torch.equal(sa[k], sc[k]) for k in sa)
