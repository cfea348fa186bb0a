"""PrototypeImprintHook in a real run: the cosine head starts as the labeled clips' class means."""

from __future__ import annotations

import random
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from helpers import tiny_train_config
from mmengine.dataset import pseudo_collate
from mmengine.runner import Runner

from avssl.engine.hooks import PrototypeImprintHook

CONFIG = 'configs/ablations/avssl_tiny_synthav_1shot_auxsum_mdrop_gate_it800_imprint.py'


def _start(config: str, data: Path, work: Path) -> SimpleNamespace:
    """A real run of ``config`` on tiny SynthAV, stopped after the start hooks, with the global
    torch random state just before and after them."""
    cfg = tiny_train_config(config, data, work, max_iters=1, batch_size=6)
    cfg.train_dataloader.sampler.batch_size = 6
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    runner = Runner.from_cfg(cfg)
    runner._train_loop = runner.build_train_loop(runner._train_loop)
    runner._init_model_weights()
    before = torch.random.get_rng_state()
    runner.call_hook('before_train')
    return SimpleNamespace(runner=runner, rng_before=before, rng_after=torch.random.get_rng_state())


@pytest.fixture(scope='module')
def started(tiny_synthav: Path, tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """The imprint config's run (:func:`_start`)."""
    return _start(CONFIG, tiny_synthav, tmp_path_factory.mktemp('imprint'))


@pytest.fixture(scope='module')
def imprinted(started: SimpleNamespace) -> Runner:
    return started.runner


def _labeled_clips(runner: Runner) -> tuple[dict, torch.Tensor]:
    hook = next(h for h in runner.hooks if isinstance(h, PrototypeImprintHook))
    dataset = hook.labeled_dataset(runner)
    pipeline = hook.transforms(runner)
    items = [pipeline(dataset.get_data_info(i)) for i in range(len(dataset))]
    data = runner.model.data_preprocessor(pseudo_collate(items), False)
    labels = torch.stack([s.gt_labels.item for s in data['data_samples']]).reshape(-1)
    return data['inputs'], labels


def test_the_heads_are_the_normalised_features_of_the_one_labeled_clip_per_class(
    imprinted: Runner,
) -> None:
    model = imprinted.model
    inputs, labels = _labeled_clips(imprinted)
    assert sorted(labels.tolist()) == list(range(4))  # 1 shot, 4 classes
    with torch.no_grad():
        model.eval()
        features = model.head_features(inputs)
    expected = torch.zeros(4, features.shape[1])
    expected[labels] = F.normalize(features, dim=-1)
    assert torch.allclose(model.student.cls_head.weight, expected, atol=1e-5)
    assert torch.equal(model.teacher.cls_head.weight, model.student.cls_head.weight)
    # before any step the network names every labeled clip (it is its own class mean)
    with torch.no_grad():
        scores = model.student.cls_head(features)
    assert torch.equal(scores.argmax(-1), labels)


@pytest.mark.parametrize(
    'config',
    [
        'configs/ablations/svformer_tiny_synthav_1shot_flex_it800_imprint_ft.py',
        'configs/ablations/labeled_tiny_synthav_1shot_a_it800_imprint_ft.py',
    ],
)
def test_the_one_modality_rows_imprint_their_class_token(
    config: str, tiny_synthav: Path, tmp_path: Path
) -> None:
    # the video-only and audio-only rows of the imprint setting: no localizer and no source
    # pooling, the head reads the one class token, and it starts as its class means
    runner = _start(config, tiny_synthav, tmp_path).runner
    model = runner.model
    inputs, labels = _labeled_clips(runner)
    video_only = 'svformer' in config
    assert (model.student.backbone is None, model.student.audio_backbone is None) == (
        not video_only,
        video_only,
    )
    with torch.no_grad():
        model.eval()
        features = model.head_features(inputs)
    assert features.shape == (4, 96)
    expected = torch.zeros(4, 96)
    expected[labels] = F.normalize(features, dim=-1)
    assert torch.allclose(model.student.cls_head.weight, expected, atol=1e-5)
    assert torch.equal(model.teacher.cls_head.weight, model.student.cls_head.weight)


def test_the_training_random_numbers_are_untouched(
    started: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert torch.equal(started.rng_before, started.rng_after)  # the real start
    # whatever the pass over the labeled clips draws, the run's generators are as before it
    hook = PrototypeImprintHook()
    sums = hook.class_sums(started.runner)

    def drawing_pass(runner: Runner) -> tuple[torch.Tensor, torch.Tensor]:
        random.random(), np.random.rand(), torch.rand(1)
        return sums

    monkeypatch.setattr(hook, 'class_sums', drawing_pass)
    before = (random.getstate(), np.random.get_state()[1].copy(), torch.random.get_rng_state())
    hook.before_train(started.runner)
    assert random.getstate() == before[0]
    assert np.array_equal(np.random.get_state()[1], before[1])
    assert torch.equal(torch.random.get_rng_state(), before[2])


def test_a_resumed_run_keeps_its_weights(imprinted: Runner) -> None:
    hook = PrototypeImprintHook()
    head = imprinted.model.student.cls_head
    start = head.weight.detach().clone()
    with torch.no_grad():
        head.weight.mul_(-1.0)  # "trained": no longer what imprinting gives
    try:
        hook.before_train(SimpleNamespace(iter=3, model=imprinted.model))
        assert torch.equal(head.weight, -start)
    finally:
        with torch.no_grad():
            head.weight.copy_(start)


def test_clear_errors(imprinted: Runner) -> None:
    with pytest.raises(ValueError, match='batch_size must be >= 1'):
        PrototypeImprintHook(batch_size=0)
    plain = SimpleNamespace(
        iter=0,
        model=SimpleNamespace(student=SimpleNamespace(cls_head=torch.nn.Linear(2, 2))),
    )
    with pytest.raises(ValueError, match='needs a class head with imprint'):
        PrototypeImprintHook().class_sums(plain)
    with pytest.raises(ValueError, match='neither a val_dataloader.dataset.pipeline'):
        PrototypeImprintHook().transforms(SimpleNamespace(cfg={'val_dataloader': None}))
