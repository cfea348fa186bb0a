"""Tests of the split TimeSformer and the timm ViT -> TimeSformer converter."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import torch
from mmaction.models.backbones.timesformer import TimeSformer
from timm.models.vision_transformer import VisionTransformer

from avssl.models.backbones import MixableTimeSformer
from avssl.models.backbones.vit_to_timesformer import (
    convert_vit_file_to_timesformer,
    convert_vit_to_timesformer,
)
from avssl.models.mixers import mix_tokens
from avssl.registry import MODELS

REPO = Path(__file__).resolve().parents[2]
#: 2 frames of 32 x 32 -> a 2 x 2 token grid per frame, width 24, 2 layers.
TINY = dict(
    num_frames=2, img_size=32, patch_size=16, embed_dims=24, num_heads=2, num_transformer_layers=2
)
ATTENTION_TYPES = ('divided_space_time', 'space_only', 'joint_space_time')
VIT_B = dict(
    num_frames=8,
    img_size=224,
    patch_size=16,
    embed_dims=768,
    num_heads=12,
    num_transformer_layers=12,
    attention_type='divided_space_time',
)
#: What we count for VIT_B (mmaction2's TimeSformer: 121.26M, the paper's 121M).
VIT_B_PARAMS = 121_258_752


def tiny_model(**kwargs: object) -> MixableTimeSformer:
    torch.manual_seed(0)
    model = MixableTimeSformer(**{**TINY, **kwargs})
    # Non-zero temporal_fc and time_embed, so the temporal path is exercised.
    with torch.no_grad():
        for name, param in model.named_parameters():
            if 'temporal_fc' in name or name == 'time_embed':
                param.normal_(std=0.1)
    return model.eval()


def tiny_vit(depth: int = 2) -> VisionTransformer:
    torch.manual_seed(1)
    return VisionTransformer(
        img_size=32, patch_size=16, embed_dim=24, depth=depth, num_heads=2, num_classes=5
    ).eval()


@pytest.mark.parametrize('attention_type', ATTENTION_TYPES)
def test_forward_equals_parent(attention_type: str) -> None:
    model = tiny_model(attention_type=attention_type)
    parent = TimeSformer(**{**TINY, 'attention_type': attention_type}).eval()
    parent.load_state_dict(model.state_dict())
    x = torch.randn(3, 3, 2, 32, 32)
    with torch.no_grad():
        expected = parent(x)
        assert torch.equal(model(x), expected)
        assert torch.equal(model.encode(model.embed(x)), expected)


def test_embed_encode_shapes_and_grid() -> None:
    model = tiny_model()
    x = torch.randn(3, 3, 2, 32, 32)
    tokens = model.embed(x)
    assert tokens.shape == (3, 2, 4, 24)
    assert model.encode(tokens).shape == (3, 24)
    assert model.grid(x.shape) == (2, 2, 2)
    assert model.grid((1, 3, 8, 224, 160)) == (8, 14, 10)
    assert model.patch_grid == (2, 2) and model.num_patches == 4
    # Token (t, n) is frame t's patch n in row-major order: patch (1, 0) sees pixels [16:, :16].
    x2 = x.clone()
    x2[:, :, 1, 16:, :16] += 1.0
    changed = (model.embed(x2) != tokens).any(dim=-1)
    assert changed[:, 1, 2].all() and changed.sum() == 3


def test_bad_inputs_raise() -> None:
    model = tiny_model()
    with pytest.raises(ValueError, match=r'\(B, 3, 2, 32, 32\).*got \(1, 3, 4, 32, 32\)'):
        model(torch.randn(1, 3, 4, 32, 32))
    with pytest.raises(ValueError, match=r'tokens of shape \(B, 2, 4, 24\)'):
        model.encode(torch.randn(1, 2, 5, 24))
    with pytest.raises(ValueError, match='not a multiple of the patch size'):
        model.grid((1, 3, 2, 30, 32))
    with pytest.raises(ValueError, match='attention_type'):
        MixableTimeSformer(**TINY, attention_type='axial')


def test_all_true_mask_gives_clip_a() -> None:
    model = tiny_model()
    xa, xb = torch.randn(2, 3, 3, 2, 32, 32).unbind(0)
    with torch.no_grad():
        ta, tb = model.embed(xa), model.embed(xb)
        keep_a = torch.ones(3, 2, 4, dtype=torch.bool)
        assert torch.equal(model.encode(mix_tokens(ta, tb, keep_a)), model(xa))
        assert torch.equal(model.encode(mix_tokens(ta, tb, ~keep_a)), model(xb))
        half = keep_a.clone()
        half[..., :2] = False
        mixed = model.encode(mix_tokens(ta, tb, half))
    assert not torch.allclose(mixed, model(xa)) and not torch.allclose(mixed, model(xb))


def test_registry_build() -> None:
    model = MODELS.build(dict(type='MixableTimeSformer', **TINY))
    assert isinstance(model, MixableTimeSformer) and isinstance(model, TimeSformer)


def test_vit_b_parameter_count_on_meta() -> None:
    with torch.device('meta'):
        model = MixableTimeSformer(**VIT_B)
    count = sum(p.numel() for p in model.parameters())
    assert count == VIT_B_PARAMS
    assert f'{count / 1e6:.2f}M' == '121.26M'
    assert len(model.state_dict()) == 247


def save_vit(tmp_path: Path, vit: VisionTransformer, name: str = 'vit.pth') -> Path:
    path = tmp_path / name
    torch.save({'model': {f'module.{k}': v for k, v in vit.state_dict().items()}}, path)
    return path


def test_converter_keys_and_copies() -> None:
    vit = tiny_vit()
    source = vit.state_dict()
    converted, report = convert_vit_to_timesformer(source, num_frames=2)
    target = tiny_model().state_dict()
    left = {'time_embed'} | {k for k in target if 'temporal_fc' in k}
    assert set(converted) == set(target) - left
    assert set(report.left_to_init) == left
    assert report.dropped == ['head.weight', 'head.bias'] and not report.unrecognised
    layer = 'transformer_layers.layers.1'
    for suffix, src in [
        ('attn.in_proj_weight', 'blocks.1.attn.qkv.weight'),
        ('attn.out_proj.bias', 'blocks.1.attn.proj.bias'),
        ('norm.weight', 'blocks.1.norm1.weight'),
    ]:
        temporal = converted[f'{layer}.attentions.0.{suffix}']
        spatial = converted[f'{layer}.attentions.1.{suffix}']
        assert torch.equal(temporal, spatial) and torch.equal(spatial, source[src])
        assert temporal.data_ptr() != spatial.data_ptr()
    assert torch.equal(
        converted[f'{layer}.ffns.0.layers.0.0.weight'], source['blocks.1.mlp.fc1.weight']
    )
    assert torch.equal(converted[f'{layer}.ffns.0.norm.bias'], source['blocks.1.norm2.bias'])
    assert ('patch_embed.proj.weight', 'patch_embed.projection.weight') in report.mapped
    assert 'temporal_fc' in report.summary()


@pytest.mark.parametrize('attention_type', ['space_only', 'joint_space_time'])
def test_converter_single_attention_layouts(attention_type: str) -> None:
    converted, report = convert_vit_to_timesformer(
        tiny_vit().state_dict(), None, None, attention_type
    )
    target = tiny_model(attention_type=attention_type).state_dict()
    left = {'time_embed'} if attention_type == 'joint_space_time' else set()
    assert set(converted) == set(target) - left
    assert set(report.left_to_init) == left


def test_converter_resamples_pos_embed_and_depth() -> None:
    converted, report = convert_vit_to_timesformer(
        tiny_vit(depth=3).state_dict(), grid_size=(3, 3), depth=2
    )
    assert converted['pos_embed'].shape == (1, 10, 24)
    assert report.extra_blocks == [2]
    assert not any(k.startswith('transformer_layers.layers.2.') for k in converted)


def test_converted_file_loads_and_matches_the_image_vit(tmp_path: Path) -> None:
    vit = tiny_vit()
    dst = tmp_path / 'out' / 'timesformer.pth'
    convert_vit_file_to_timesformer(save_vit(tmp_path, vit), dst, num_frames=1)
    meta = torch.load(dst, weights_only=True)['meta']
    assert meta['attention_type'] == 'divided_space_time' and 'head.weight' in meta['dropped']

    model = MixableTimeSformer(**{**TINY, 'num_frames': 1}, pretrained=str(dst)).eval()
    model.init_weights()
    qkv = vit.state_dict()['blocks.0.attn.qkv.weight']
    spatial = model.transformer_layers.layers[0].attentions[1].attn.in_proj_weight
    assert torch.equal(spatial.detach(), qkv)
    # One frame, zero temporal_fc and time_embed: the TimeSformer is the image ViT.
    img = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        expected = vit.forward_features(img)[:, 0]
        torch.testing.assert_close(model(img.unsqueeze(2)), expected, rtol=1e-4, atol=1e-5)


def test_mismatched_files_raise(tmp_path: Path) -> None:
    vit_file = save_vit(tmp_path, tiny_vit())
    # a timm image ViT is converted in memory, exactly as the offline converter does
    model = MixableTimeSformer(**TINY, pretrained=vit_file)
    model.init_weights()
    offline = tmp_path / 'offline.pth'
    convert_vit_file_to_timesformer(vit_file, offline)
    reference = MixableTimeSformer(**TINY, pretrained=offline)
    reference.init_weights()
    state, ref = model.state_dict(), reference.state_dict()
    for key in ('patch_embed.projection.weight', 'cls_token', 'pos_embed', 'norm.weight'):
        assert torch.equal(state[key], ref[key]), key
    # a timm file of another width names the file and the mismatch
    wide = VisionTransformer(img_size=32, patch_size=16, embed_dim=32, depth=2, num_heads=2)
    wide_file = save_vit(tmp_path, wide, name='wide.pth')
    with pytest.raises(ValueError, match=re.escape(str(wide_file))):
        MixableTimeSformer(**TINY, pretrained=wide_file).init_weights()
    converted = tmp_path / 'converted.pth'
    convert_vit_file_to_timesformer(vit_file, converted)
    wider = MixableTimeSformer(**{**TINY, 'img_size': 48}, pretrained=converted)
    with pytest.raises(ValueError, match=re.escape(str(converted)) + r".*'pos_embed'"):
        wider.init_weights()
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        MixableTimeSformer(**TINY, pretrained=tmp_path / 'missing.pth').init_weights()


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location(
        'vit_to_timesformer_cli', REPO / 'tools' / 'model_converters' / 'vit_to_timesformer.py'
    )
    assert spec is not None and spec.loader is not None
    cli = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cli)
    dst = tmp_path / 'ts.pth'
    argv = [str(save_vit(tmp_path, tiny_vit())), str(dst), '--num-frames', '2', '--img-size', '48']
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert (
        'blocks.0.attn.qkv.weight -> transformer_layers.layers.0.attentions.0.attn.in_proj_weight'
        in out
    )
    assert 'dropped (2): head.weight, head.bias' in out
    assert 'transformer_layers.layers.1.attentions.0.temporal_fc.bias' in out
    state = torch.load(dst, weights_only=True)['state_dict']
    assert state['pos_embed'].shape == (1, 10, 24)
