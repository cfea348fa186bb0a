"""Presence targets (every object's class in a SynthAV clip) and their recall."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from avssl.datasets.synthav.scene import sample_scene
from avssl.pretrain import (
    ClassifierRecipe,
    clip_probabilities,
    presence_recall,
    presence_targets,
    synthav_config_of,
    train_classifier,
)


def test_presence_targets_name_every_object_of_each_clip(tiny_synthav: Path) -> None:
    cfg = synthav_config_of(str(tiny_synthav))
    targets = presence_targets(str(tiny_synthav), 'train.txt')
    lines = [line.split() for line in (tiny_synthav / 'train.txt').read_text().splitlines()]
    lines = [parts for parts in lines if parts]
    assert targets.shape == (len(lines), cfg.num_classes) and targets.dtype == np.float32
    # one class per object, the clip's own class always among them
    assert np.all(targets.sum(axis=1) == 1 + cfg.num_distractors)
    labels = np.array([int(parts[1]) for parts in lines])
    assert np.all(targets[np.arange(len(labels)), labels] == 1.0)
    # the distractors come from other families: never the clip's family partner
    partner = labels ^ 1
    assert np.all(targets[np.arange(len(labels)), partner] == 0.0)
    # the first clip, by hand from its scene (class 0, index from the file name)
    name = Path(lines[0][0]).stem
    index = int(name.rsplit('_', 1)[1]) + labels[0] * cfg.clips_per_class
    expected = {obj.label for obj in sample_scene(cfg, index).objects}
    assert set(np.nonzero(targets[0])[0].tolist()) == expected


def test_presence_targets_refuse_a_list_that_disagrees_with_the_scenes(
    tiny_synthav: Path, tmp_path: Path
) -> None:
    root = tmp_path / 'set'
    root.mkdir()
    shutil.copy(tiny_synthav / 'stats.json', root / 'stats.json')
    first = (tiny_synthav / 'train.txt').read_text().splitlines()[0].split()
    (root / 'wrong.txt').write_text(f'{first[0]} {int(first[1]) + 1}\n')
    with pytest.raises(ValueError, match=first[0].split('/')[-1]):
        presence_targets(str(root), 'wrong.txt')
    (root / 'odd.txt').write_text('videos/x/clip.mp4 0\n')
    with pytest.raises(ValueError, match='not a SynthAV clip name'):
        presence_targets(str(root), 'odd.txt')
    (root / 'stats.json').write_text('{"counts": {}}')
    with pytest.raises(ValueError, match='no SynthAV generator'):
        presence_targets(str(root), 'odd.txt')
    with pytest.raises(FileNotFoundError, match='stats file not found'):
        presence_targets(str(tmp_path / 'absent'), 'odd.txt')


def test_presence_recall_hand_values() -> None:
    targets = np.array([[1, 1, 0, 0], [0, 1, 1, 0]], np.float32)
    # clip 0: top-2 = {0, 1}, both present; clip 1: top-2 = {3, 2}, one of two present
    scores = np.array([[0.9, 0.8, 0.1, 0.0], [0.0, 0.1, 0.5, 0.9]])
    assert presence_recall(scores, targets) == pytest.approx(0.75)
    with pytest.raises(ValueError, match='same positive number'):
        presence_recall(scores, np.array([[1, 0, 0, 0], [1, 1, 0, 0]], np.float32))
    with pytest.raises(ValueError, match='differ in shape'):
        presence_recall(scores[:, :3], targets[:, :3].T)


def test_clip_probabilities_sigmoid_averages_views_and_refuses_other_names() -> None:
    class Fixed(nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x

    logits = torch.tensor([[[0.0, 2.0]], [[2.0, 0.0]]])  # (V=2, B=1, C=2)
    probs = clip_probabilities(Fixed(), lambda idx: logits[:, idx], 1, activation='sigmoid')
    mean = (torch.sigmoid(torch.tensor(0.0)) + torch.sigmoid(torch.tensor(2.0))) / 2
    assert torch.allclose(probs, torch.full((1, 2), float(mean)))
    with pytest.raises(ValueError, match='activation'):
        clip_probabilities(Fixed(), lambda idx: logits[:, idx], 1, activation='relu')


def test_train_classifier_takes_a_multilabel_loss() -> None:
    gen = torch.Generator().manual_seed(0)
    targets = (torch.rand(64, 4, generator=gen) < 0.5).float()
    inputs = targets * 2.0 + 0.3 * torch.randn(64, 4, generator=gen)

    def sample(g: torch.Generator, idx: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return inputs[idx], targets[idx]

    torch.manual_seed(0)
    model = nn.Linear(4, 4)
    recipe = ClassifierRecipe(steps=80, batch_size=16, lr=0.05, warmup=5, seed=1)
    history = train_classifier(
        model,
        64,
        sample,
        recipe,
        log=lambda s: None,
        log_every=20,
        loss_fn=F.binary_cross_entropy_with_logits,
    )
    assert history[-1] < history[0]
    predicted = (model(inputs) > 0).float()
    assert float((predicted == targets).float().mean()) > 0.95
