"""Pretraining building blocks: export and manifest, training loop, evaluation, clip cache."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from helpers import load_tool
from torch import nn

from avssl.pretrain import (
    AudioViTClassifier,
    ClassifierRecipe,
    ClipCache,
    ClipTimeSformerClassifier,
    ImageViTClassifier,
    ResNetClassifier,
    build_clip_cache,
    evaluate_classifier,
    export_state_dict,
    sha256_file,
    train_classifier,
    write_manifest,
)
from avssl.pretrain.export import read_manifest


def test_sha256_file_hand_value(tmp_path: Path) -> None:
    path = tmp_path / 'abc'
    path.write_bytes(b'abc')
    assert sha256_file(path) == ('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')


def test_export_is_a_plain_weights_only_dict_and_deterministic(tmp_path: Path) -> None:
    state = {'a': torch.arange(6.0).view(2, 3).t(), 'b': torch.ones(2)}  # non-contiguous
    first = export_state_dict(state, tmp_path / 'x.pth')
    second = export_state_dict(state, tmp_path / 'y.pth')
    assert first == second == sha256_file(tmp_path / 'x.pth')
    loaded = torch.load(tmp_path / 'x.pth', weights_only=True)
    assert set(loaded) == {'a', 'b'} and torch.equal(loaded['a'], state['a'])
    write_manifest(tmp_path / 'm.json', {'files': {'x': {'sha256': first}}})
    assert read_manifest(tmp_path / 'm.json') == json.loads((tmp_path / 'm.json').read_text())
    with pytest.raises(FileNotFoundError, match='manifest not found'):
        read_manifest(tmp_path / 'missing.json')


def _toy_problem() -> tuple[torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(0)
    labels = torch.arange(64) % 4
    inputs = torch.randn(64, 8, generator=gen) * 0.3
    inputs[torch.arange(64), labels] += 2.0  # class c lifts feature c
    return inputs, labels


def test_train_classifier_learns_and_repeats_under_a_seed() -> None:
    inputs, labels = _toy_problem()

    def sample(gen: torch.Generator, idx: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return inputs[idx], labels[idx]

    recipe = ClassifierRecipe(steps=60, batch_size=16, lr=0.05, warmup=5, seed=3)
    runs = []
    for _ in range(2):
        torch.manual_seed(0)
        model = nn.Linear(8, 4)
        history = train_classifier(model, 64, sample, recipe, log=lambda s: None, log_every=20)
        runs.append((history, model.weight.detach().clone()))
    assert runs[0][0] == runs[1][0] and torch.equal(runs[0][1], runs[1][1])
    assert runs[0][0][-1] < runs[0][0][0]
    views = lambda idx: inputs[idx][None]  # noqa: E731 - one view per clip
    assert evaluate_classifier(model, views, labels)['top1'] == 1.0


def test_train_classifier_refuses_an_empty_split_and_a_nan_loss() -> None:
    recipe = ClassifierRecipe(steps=2, batch_size=2)
    with pytest.raises(ValueError, match='empty'):
        train_classifier(nn.Linear(2, 2), 0, lambda g, i: (None, None), recipe)
    nan = lambda g, i: (torch.full((2, 2), float('nan')), torch.zeros(2, dtype=torch.long))  # noqa: E731
    with pytest.raises(ValueError, match='step 0'):
        train_classifier(nn.Linear(2, 2), 4, nan, recipe, log=lambda s: None)


def test_evaluate_classifier_averages_views_hand_values() -> None:
    class Fixed(nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x  # the inputs are the logits

    # clip 0: views favour class 2 then class 0 -> mean probabilities pick 2 (0 second);
    # clip 1: both views pick 1, label 0 is last
    logits = torch.tensor(
        [
            [[0.0, 0.0, 5.0], [0.0, 0.0, 0.0]],
            [[1.0, 0.0, 0.0], [0.0, 5.0, 0.0]],
        ]
    )  # (V=2, B=2, C=3)
    labels = torch.tensor([0, 2])
    result = evaluate_classifier(Fixed(), lambda idx: logits[:, idx], labels, topk=(1, 2))
    assert result['top1'] == 0.0 and result['top2'] == 0.5 and result['num_clips'] == 2


def test_classifier_outputs_and_export_layouts() -> None:
    video = ImageViTClassifier(5)
    assert video(torch.rand(2, 3, 112, 112) * 255).shape == (2, 5)
    assert 'blocks.1.attn.qkv.weight' in video.state_dict() and 'head.weight' in video.state_dict()
    audio = AudioViTClassifier(4)
    assert audio(torch.randn(2, 1, 256, 128)).shape == (2, 4)
    assert {'pos_embed', 'head.bias'} <= set(audio.export_state_dict())
    resnet = ResNetClassifier(3)
    assert resnet(torch.rand(2, 3, 112, 112) * 255).shape == (2, 3)
    exported = resnet.export_state_dict()
    assert exported['conv1.weight'].shape == (16, 3, 7, 7) and exported['fc.weight'].shape == (
        3,
        128,
    )


def test_clip_classifier_starts_from_the_image_vit_and_exports_mmaction_keys(
    tmp_path: Path,
) -> None:
    image = ImageViTClassifier(5)
    start = tmp_path / 'vit.pth'
    export_state_dict(image.state_dict(), start)
    clip = ClipTimeSformerClassifier(5)
    clip.init_from(str(start))
    # the spatial attention is the image ViT's, the temporal one a copy of it whose output
    # projection (temporal_fc) starts at zero, as mmaction2 initialises a Kinetics TimeSformer
    layer = clip.backbone.transformer_layers.layers[0]
    qkv = image.state_dict()['blocks.0.attn.qkv.weight']
    assert torch.equal(layer.attentions[1].attn.in_proj_weight, qkv)
    assert torch.equal(layer.attentions[0].attn.in_proj_weight, qkv)
    assert not layer.attentions[0].temporal_fc.weight.any()
    assert clip(torch.rand(2, 3, 8, 112, 112) * 255).shape == (2, 5)
    exported = clip.export_state_dict()
    assert exported['cls_head.fc_cls.weight'].shape == (5, 96)
    backbone_keys = {k for k in exported if k.startswith('backbone.')}
    assert backbone_keys == {f'backbone.{k}' for k in clip.backbone.state_dict()}


def test_clip_sampler_jitters_a_clip_as_one_and_keeps_its_frame_order() -> None:
    tool = load_tool('tools/pretrain/synthav_pretrain.py')
    frames = np.zeros((3, 4, 112, 112, 3), np.uint8)
    frames[:, :, :, :56] = 200  # left half bright: a flip puts it on the right
    frames[..., 2] = np.arange(4, dtype=np.uint8)[None, :, None, None] * 50  # blue = frame index
    cache = ClipCache(frames, np.zeros((3, 1, 2, 2), np.float16), np.array([0, 1, 2]))
    x, y = tool.clip_sampler(cache)(torch.Generator().manual_seed(0), torch.tensor([2, 0, 1]))
    assert x.shape == (3, 3, 4, 112, 112) and y.tolist() == [2, 0, 1]
    sides = []
    for seed in range(8):
        x, _ = tool.clip_sampler(cache)(torch.Generator().manual_seed(seed), torch.arange(3))
        left = x[:, 0, :, 40:60, :30].mean(dim=(2, 3)) > 100  # (B, T): bright on the left?
        # one flip per clip: the bright half is on the same side in every frame of a clip
        assert torch.equal(left, left[:, :1].expand_as(left))
        sides += left[:, 0].tolist()
        # the frames keep their order (blue grows with the frame index)
        assert torch.allclose(x[:, 2].mean(dim=(2, 3)), torch.tensor([0.0, 50, 100, 150]))
    assert set(sides) == {True, False}  # both flipped and unflipped clips are drawn
    views = tool.clip_views(cache)(torch.tensor([1]))
    assert views.shape == (1, 1, 3, 4, 112, 112)
    assert torch.equal(views[0, 0, :, 2], torch.from_numpy(frames[1, 2]).permute(2, 0, 1).float())


def test_clip_cache_decodes_frames_and_normalised_audio(tiny_synthav: Path) -> None:
    cache = build_clip_cache(str(tiny_synthav), 'val.txt', frames_per_clip=4, audio_windows=2)
    lines = (tiny_synthav / 'val.txt').read_text().split('\n')
    count = len([line for line in lines if line.strip()])
    assert len(cache) == count
    assert cache.frames.shape[1:] == (4, 112, 112, 3) and cache.frames.dtype == np.uint8
    assert cache.audio.shape[1:] == (2, 256, 128)
    # normalised with the set's statistics: roughly zero mean, unit scale
    assert abs(float(cache.audio.astype(np.float32).mean())) < 1.0
    with pytest.raises(FileNotFoundError, match='list file not found'):
        build_clip_cache(str(tiny_synthav), 'nope.txt')
