"""Tests of the SynthAV generator, its guarantees, and the list/split helpers."""

from __future__ import annotations

import importlib.util
import inspect
import json
from collections import Counter
from pathlib import Path
from typing import Any

import av
import decord
import numpy as np
import pytest
import torch

from avssl.datasets.audio_features import log_mel_fbank
from avssl.datasets.splits import read_list, split_kshot, split_train_val_test, write_list
from avssl.datasets.synthav import (
    COMPLETE_MARKER,
    SynthAVConfig,
    build_classes,
    build_families,
    ensure_synthav,
    generate_synthav,
)
from avssl.datasets.synthav import generator as generator_module
from avssl.datasets.synthav import scene as scene_module
from avssl.datasets.synthav.clip import clip_rel_path, render_clip
from avssl.datasets.synthav.scene import Scene, sample_geometry, sample_scene
from avssl.datasets.synthav.shapes import shape_mask
from avssl.datasets.synthav.sound import synthesize

REPO_ROOT = Path(__file__).resolve().parents[2]
# 6 classes = 3 families, so 2 distractors from the 2 other families; 6 train clips per class.
SMALL: dict[str, Any] = dict(num_classes=6, clips_per_class=10, duration=1.0, seed=3)
LIST_FILES = (
    'train',
    'val',
    'test',
    *(f'train_{part}_{k}shot' for k in (1, 2, 3, 5) for part in ('labeled', 'unlabeled')),
)
TINY: dict[str, Any] = dict(
    num_classes=2, clips_per_class=7, duration=0.5, num_distractors=0, shots=(1,)
)


@pytest.fixture(scope='module', autouse=True)
def one_torch_thread() -> Any:
    # The feature computations here are tiny; extra intra-op threads only fight over 2 cores.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope='module')
def small_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp('synthav') / 'small'
    summary = generate_synthav(out, workers=2, progress=False, **SMALL)
    assert summary['counts']['test'] == 18
    assert summary['occlusion_violations'] == 0
    return out


@pytest.fixture(scope='module')
def small_cfg() -> SynthAVConfig:
    return SynthAVConfig(**SMALL)


def _all_items(root: Path) -> list[tuple[str, int]]:
    return (
        read_list(root / 'train.txt') + read_list(root / 'val.txt') + read_list(root / 'test.txt')
    )


def _clip_index(cfg: SynthAVConfig, rel: str) -> int:
    total = cfg.num_classes * cfg.clips_per_class
    return {clip_rel_path(cfg, i)[0]: i for i in range(total)}[rel]


def _visible_masks(scene: Scene, cfg: SynthAVConfig, t: int) -> list[np.ndarray]:
    """Pixels of each object that no object drawn above it hides, in frame ``t``."""
    families = build_families(cfg.num_classes)
    above = np.zeros((cfg.size, cfg.size), dtype=bool)
    visible: list[np.ndarray] = [above] * len(scene.objects)
    for k in range(len(scene.objects) - 1, -1, -1):
        obj = scene.objects[k]
        x1, y1, x2, y2 = obj.boxes[t]
        mask = np.zeros_like(above)
        mask[y1:y2, x1:x2] = shape_mask(families[obj.family].shape, obj.side)
        visible[k] = mask & ~above
        above = above | mask
    return visible


def test_folder_layout_and_lists(small_set: Path, small_cfg: SynthAVConfig) -> None:
    names = (small_set / 'classes.txt').read_text().splitlines()
    assert names == [c.name for c in build_classes(6)] and names == sorted(names)
    assert names[0] == 'c00_circle_red'
    assert (small_set / COMPLETE_MARKER).is_file()
    assert not [p for p in small_set.parent.iterdir() if p.name.startswith('.small')]
    splits = {name: read_list(small_set / f'{name}.txt') for name in LIST_FILES}
    for name, items in splits.items():
        lines = (small_set / f'{name}.txt').read_text().splitlines()
        assert lines == sorted(lines), name
        for rel, label in items:
            assert rel.startswith(f'videos/{names[label]}/{names[label]}_') and rel.endswith('.mp4')
    train, val, test = (set(splits[k]) for k in ('train', 'val', 'test'))
    assert not (train & val or train & test or val & test)
    videos = {str(p.relative_to(small_set)) for p in small_set.glob('videos/*/*.mp4')}
    assert {rel for rel, _ in train | val | test} == videos and len(videos) == 60
    assert Counter(label for _, label in train) == {c: 6 for c in range(6)}
    assert Counter(label for _, label in test) == {c: 3 for c in range(6)}
    stats = json.loads((small_set / 'stats.json').read_text())
    assert stats['counts'] == {'classes': 6, **{k: len(v) for k, v in splits.items()}}
    assert stats['num_mel_bins'] == 128 and stats['sample_rate'] == 16000
    assert stats['generator'] == small_cfg.to_dict()
    assert -20.0 < stats['audio_mean'] < 5.0 and 0.5 < stats['audio_std'] < 10.0


def test_audio_stats_match_train_features(small_set: Path) -> None:
    values = []
    for rel, _ in read_list(small_set / 'train.txt'):
        audio = decord.AudioReader(str(small_set / rel), sample_rate=16000, mono=True)[:]
        values.append(log_mel_fbank(audio.asnumpy()[0]).numpy().ravel())
    stats = json.loads((small_set / 'stats.json').read_text())
    flat = np.concatenate(values)  # decoded AAC: close to the in-memory waveform, not equal
    assert abs(flat.mean() - stats['audio_mean']) < 0.1
    assert abs(flat.std() - stats['audio_std']) < 0.1


def test_every_mp4_has_streams_and_decodes(small_set: Path, small_cfg: SynthAVConfig) -> None:
    for rel, _ in _all_items(small_set):
        path = str(small_set / rel)
        with av.open(path) as container:
            assert container.streams.video[0].codec_context.name == 'h264'
            assert container.streams.audio[0].codec_context.name == 'aac'
            assert container.streams.audio[0].codec_context.sample_rate == 16000
        reader = decord.VideoReader(path)
        assert len(reader) == small_cfg.num_frames
        frames = reader.get_batch([0, len(reader) - 1]).asnumpy()
        assert frames.shape == (2, 112, 112, 3) and frames.std() > 5
        audio = decord.AudioReader(path, sample_rate=16000, mono=True)[:].asnumpy()
        assert audio.shape[0] == 1 and abs(audio.shape[1] - small_cfg.num_samples) <= 1024
        assert np.abs(audio).max() > 0.05


def test_kshot_lists(small_set: Path) -> None:
    train = read_list(small_set / 'train.txt')
    labeled_sets = {}
    for k in (1, 5):
        labeled = read_list(small_set / f'train_labeled_{k}shot.txt')
        unlabeled = read_list(small_set / f'train_unlabeled_{k}shot.txt')
        assert Counter(label for _, label in labeled) == {c: k for c in range(6)}
        assert not set(labeled) & set(unlabeled)
        assert sorted(labeled + unlabeled) == sorted(train)
        labeled_sets[k] = set(labeled)
    assert labeled_sets[1] <= labeled_sets[5]


def test_boxes_inside_frame_with_promised_area(small_set: Path, small_cfg: SynthAVConfig) -> None:
    boxes = json.loads((small_set / 'boxes.json').read_text())
    assert set(boxes) == {rel for rel, _ in _all_items(small_set)}
    moved = 0
    for entry in boxes.values():
        assert entry['width'] == 112 and entry['height'] == 112
        b = np.asarray(entry['boxes'])
        assert b.shape == (small_cfg.num_frames, 4)
        assert (b[:, :2] >= 0).all() and (b[:, 2] <= 112).all() and (b[:, 3] <= 112).all()
        area = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1]) / 112**2
        assert ((area >= 0.25) & (area <= 0.35)).all()
        assert (area == area[0]).all()  # fixed size: the pulse is brightness only
        moved += bool((b != b[0]).any())
    assert moved >= 0.9 * len(boxes)


def test_same_seed_same_bytes_and_different_seed_differs(small_set: Path, tmp_path: Path) -> None:
    again = tmp_path / 'again'
    generate_synthav(again, workers=1, progress=False, **SMALL)  # other worker count
    names = [f'{n}.txt' for n in LIST_FILES] + ['classes.txt', 'stats.json', 'boxes.json']
    for name in names:
        assert (again / name).read_bytes() == (small_set / name).read_bytes(), name
    for rel, _ in _all_items(small_set)[::7]:
        assert (again / rel).read_bytes() == (small_set / rel).read_bytes(), rel

    other = tmp_path / 'other'
    generate_synthav(other, workers=2, progress=False, **{**SMALL, 'seed': SMALL['seed'] + 1})
    for name in ('boxes.json', 'stats.json', 'train_labeled_1shot.txt'):
        assert (other / name).read_bytes() != (small_set / name).read_bytes(), name


def test_distractors_from_other_families(small_set: Path, small_cfg: SynthAVConfig) -> None:
    boxes = json.loads((small_set / 'boxes.json').read_text())
    depths = Counter()
    for rel, label in _all_items(small_set):
        scene = sample_scene(small_cfg, _clip_index(small_cfg, rel))
        assert scene.label == label
        assert scene.source_boxes.tolist() == boxes[rel]['boxes']
        families = [obj.family for obj in scene.objects]
        assert len(families) == 3 and len(set(families)) == 3
        assert scene.objects[scene.source].label == label
        assert families[scene.source] == label // 2
        assert scene.occlusion <= small_cfg.max_occlusion
        depths[scene.source] += 1
    assert len(depths) == 3  # the sounding object is not always drawn at the same depth


def test_sound_depends_on_family_not_variant(
    small_cfg: SynthAVConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With one shared random stream, the two classes of a family get the very same waveform:
    # the sound is a function of the family and the randomness only.
    monkeypatch.setattr(scene_module, 'clip_rng', lambda seed, idx: np.random.default_rng(7))
    waves = {}
    for label in (0, 1, 2):
        scene = sample_scene(small_cfg, label * small_cfg.clips_per_class)
        waves[label] = synthesize(scene.sound, scene.envelope, scene.progress, 16000)
        assert scene.label == label
    np.testing.assert_array_equal(waves[0], waves[1])
    assert not np.array_equal(waves[0], waves[2])


def _permutation_p(a: np.ndarray, b: np.ndarray, rng: np.random.Generator, n: int) -> float:
    """P-value of the distance between the means of ``a`` and ``b`` under random relabelling."""
    pooled = np.concatenate([a, b])
    observed = np.linalg.norm(a.mean(0) - b.mean(0))
    hits = 0
    for _ in range(n):
        perm = rng.permutation(len(pooled))
        x, y = pooled[perm[: len(a)]], pooled[perm[len(a) :]]
        hits += np.linalg.norm(x.mean(0) - y.mean(0)) >= observed
    return (hits + 1) / (n + 1)


def test_audio_distribution_same_within_family_differs_across(
    small_set: Path, small_cfg: SynthAVConfig
) -> None:
    feats: dict[int, list[np.ndarray]] = {c: [] for c in range(6)}
    for rel, label in _all_items(small_set):
        scene = sample_scene(small_cfg, _clip_index(small_cfg, rel))
        audio = decord.AudioReader(str(small_set / rel), sample_rate=16000, mono=True)[:]
        fbank = log_mel_fbank(audio.asnumpy()[0]).numpy()
        env = scene.envelope[::160][: fbank.shape[0]]
        # Spectrum of the sound over the background, unit norm: blind to loudness, SNR and the
        # background noise colour, which vary within every class.
        quiet = fbank[env < 0.05].mean(0) if (env < 0.05).sum() > 5 else fbank.mean(0)
        contrast = np.clip(fbank[env > 0.5].mean(0) - quiet, 0.0, None)
        feats[label].append(contrast / np.linalg.norm(contrast))
    groups = {c: np.stack(v) for c, v in feats.items()}
    rng = np.random.default_rng(0)
    # Two classes of one family: mean spectra differ no more than random halves of the pool.
    for f in range(3):
        assert _permutation_p(groups[2 * f], groups[2 * f + 1], rng, 300) > 0.01, f
    # Two families: the mean spectra differ more than under every random relabelling.
    for a in range(6):
        for b in range(6):
            if a // 2 < b // 2:
                assert _permutation_p(groups[a], groups[b], rng, 200) < 0.01, (a, b)


def test_source_pulse_follows_audio_envelope(small_set: Path, small_cfg: SynthAVConfig) -> None:
    source_corr, distractor_corr = [], []
    hop = small_cfg.sample_rate // small_cfg.fps
    for rel, _ in _all_items(small_set)[::2]:
        scene = sample_scene(small_cfg, _clip_index(small_cfg, rel))
        frames = decord.VideoReader(str(small_set / rel))[:].asnumpy().astype(np.float64).mean(-1)
        audio = decord.AudioReader(str(small_set / rel), sample_rate=16000, mono=True)[:]
        wav = audio.asnumpy()[0]
        t_len = frames.shape[0]
        rms = np.sqrt([np.mean(wav[t * hop : (t + 1) * hop] ** 2) for t in range(t_len)])
        bright = np.zeros((len(scene.objects), t_len))
        for t in range(t_len):
            for k, mask in enumerate(_visible_masks(scene, small_cfg, t)):
                bright[k, t] = frames[t][mask].mean()
        for k in range(len(scene.objects)):
            corr = float(np.corrcoef(bright[k], rms)[0, 1])
            (source_corr if k == scene.source else distractor_corr).append(corr)
    assert np.mean(source_corr) > 0.8 and np.median(source_corr) > 0.85
    assert np.mean(distractor_corr) < 0.4
    assert np.mean(source_corr) - np.mean(distractor_corr) > 0.5


def test_no_cheap_cue_between_source_and_distractors() -> None:
    cfg = SynthAVConfig(num_classes=6, clips_per_class=200, duration=0.4)
    side, depth, speed, level = (([], []) for _ in range(4))
    for idx in range(0, 1200, 4):
        scene = sample_scene(cfg, idx)
        for k, obj in enumerate(scene.objects):
            role = int(k == scene.source)
            side[role].append(obj.side)
            depth[role].append(k)
            speed[role].append(np.abs(obj.boxes[-1, :2] - obj.boxes[0, :2]).sum())
            level[role].append(obj.brightness.mean())
    assert abs(np.mean(side[1]) - np.mean(side[0])) < 1.5
    assert abs(np.mean(depth[1]) - 1.0) < 0.15  # depths 0, 1, 2 equally likely
    assert abs(np.mean(speed[1]) - np.mean(speed[0])) < 1.0
    assert abs(np.mean(level[1]) - np.mean(level[0])) < 0.03


def test_source_position_uniform_without_overlap_constraint() -> None:
    cfg = SynthAVConfig(num_classes=2, num_distractors=0, duration=0.2)
    rng = np.random.default_rng(0)
    rel = []
    for _ in range(2000):
        boxes, order, worst = sample_geometry(cfg, rng, ['circle'], np.array([True]))
        side = boxes[0, 0, 2] - boxes[0, 0, 0]
        rel.extend((boxes[0, 0, :2] / (112 - side)).tolist())
    hist = np.histogram(rel, bins=5, range=(0.0, 1.0))[0] / len(rel)
    assert np.abs(hist - 0.2).max() < 0.03 and worst == 0.0 and order.tolist() == [0]


def test_render_clip_shapes(small_cfg: SynthAVConfig) -> None:
    scene, frames, wav = render_clip(small_cfg, 0)
    assert frames.shape == (25, 112, 112, 3) and frames.dtype == np.uint8
    assert wav.shape == (16000,) and wav.dtype == np.float32 and np.abs(wav).max() <= 1.0


def test_ensure_returns_at_once_on_complete_folder(
    small_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: Any, **kwargs: Any) -> None:
        raise AssertionError('must not generate')

    monkeypatch.setattr(generator_module, 'generate_synthav', fail)
    assert ensure_synthav(small_set, **SMALL) == small_set


def test_ensure_generates_missing_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / 'auto'
    assert ensure_synthav(out, workers=1, progress=False, **TINY) == out
    assert (out / COMPLETE_MARKER).is_file() and (tmp_path / '.auto.lock').is_file()
    assert len(read_list(out / 'train_labeled_1shot.txt')) == 2

    monkeypatch.setattr(generator_module, 'get_rank', lambda: 1)
    with pytest.raises(TimeoutError, match='missing'):
        ensure_synthav(tmp_path / 'never', timeout=0.2, poll_interval=0.05, **TINY)


def test_refuses_non_empty_folder_unless_overwrite(tmp_path: Path) -> None:
    out = tmp_path / 'taken'
    out.mkdir()
    (out / 'keep.txt').write_text('mine')
    with pytest.raises(FileExistsError, match=str(out)):
        generate_synthav(out, workers=1, progress=False, **TINY)
    assert (out / 'keep.txt').read_text() == 'mine'
    assert [p.name for p in tmp_path.iterdir()] == ['taken']  # no temp folder left behind
    generate_synthav(out, workers=1, progress=False, overwrite=True, **TINY)
    assert not (out / 'keep.txt').exists() and (out / COMPLETE_MARKER).is_file()


def test_invalid_configurations_raise() -> None:
    with pytest.raises(ValueError, match='num_distractors'):
        SynthAVConfig(num_classes=4, num_distractors=2)
    with pytest.raises(ValueError, match='object_area'):
        SynthAVConfig(object_area=(0.3, 0.2))
    # 5 clips per class leave 2 training clips: the 2-shot list is the first that cannot fit
    with pytest.raises(ValueError, match='c00_circle_red.*2-shot split needs at least 3'):
        generate_synthav(
            '/nonexistent/never',
            num_classes=2,
            clips_per_class=5,
            num_distractors=0,
            progress=False,
        )


def test_generate_defaults_match_config() -> None:
    params = inspect.signature(generate_synthav).parameters
    defaults = SynthAVConfig()
    for name, value in defaults.to_dict().items():
        if name != 'version':
            default = params[name].default
            assert (list(default) if isinstance(default, tuple) else default) == value, name


def test_cli_generates_and_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location(
        'synthav_generate', REPO_ROOT / 'tools' / 'data' / 'synthav' / 'generate.py'
    )
    assert spec is not None and spec.loader is not None
    cli = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cli)
    argv = ['--out', str(tmp_path / 'cli'), '--num-classes', '2', '--clips-per-class', '7']
    argv += ['--duration', '0.5', '--num-distractors', '0', '--shots', '1', '--workers', '1']
    argv += ['--no-progress', '--object-area', '0.2', '0.3', '--no-distractor-pulse']
    assert cli.main(argv) == 0
    assert 'SynthAV written to' in capsys.readouterr().out
    stats = json.loads((tmp_path / 'cli' / 'stats.json').read_text())
    assert stats['generator']['object_area'] == [0.2, 0.3]
    assert stats['generator']['distractor_pulse'] is False
    # Same arguments: the folder is up to date, nothing to do.
    assert cli.main(argv) == 0
    assert 'nothing to do' in capsys.readouterr().out
    # A non-empty folder that is not a complete SynthAV set is refused.
    (tmp_path / 'other').mkdir()
    (tmp_path / 'other' / 'x.txt').write_text('x')
    assert cli.main(['--out', str(tmp_path / 'other'), *argv[2:]]) == 1
    assert 'not an empty folder' in capsys.readouterr().err


def test_split_kshot_names_the_small_class() -> None:
    items = [(f'a/{i}.mp4', 0) for i in range(6)] + [(f'b/{i}.mp4', 1) for i in range(3)]
    with pytest.raises(ValueError, match=r'class 1 \(beta\) has 3 training clips'):
        split_kshot(items, 3, seed=0, class_names=['alpha', 'beta'])
    labeled, unlabeled = split_kshot(items, 2, seed=0)
    assert Counter(label for _, label in labeled) == {0: 2, 1: 2}
    assert sorted(labeled + unlabeled) == sorted(items)
    assert split_kshot(list(reversed(items)), 2, seed=0) == (labeled, unlabeled)


def test_list_io_and_train_val_test(tmp_path: Path) -> None:
    items = [(f'v/{c}_{i}.mp4', c) for c in range(3) for i in range(10)]
    train, val, test = split_train_val_test(items, 0.1, 0.3, seed=0)
    assert (len(train), len(val), len(test)) == (18, 3, 9)
    assert sorted(train + val + test) == sorted(items)
    write_list(tmp_path / 'l.txt', train)
    assert read_list(tmp_path / 'l.txt') == train
    with pytest.raises(ValueError, match='whitespace'):
        write_list(tmp_path / 'bad.txt', [('a b.mp4', 0)])


def test_class_offset_gives_a_set_sharing_no_class_with_the_default_one() -> None:
    target = {c.name.split('_', 1)[1] for c in build_classes(10)}
    pretrain = build_classes(20, class_offset=10)
    # names carry the universe index; labels start at 0
    assert [c.label for c in pretrain] == list(range(20))
    assert pretrain[0].name == 'c10_ring_orange' and pretrain[-1].name.startswith('c29_')
    # appearance (shape + texture + hue) of no pretraining class is a target class
    assert not target & {c.name.split('_', 1)[1] for c in pretrain}
    families = build_families(20, class_offset=10)
    target_families = build_families(10)
    assert not {(f.shape, f.texture) for f in families} & {
        (f.shape, f.texture) for f in target_families
    }
    # the set's own families cut the whole frequency range, one slot each
    assert families[0].band[0] == pytest.approx(150.0) and families[-1].band[1] == pytest.approx(
        4000.0
    )
    # offset 0 is the default set, unchanged
    assert build_classes(10, 0) == build_classes(10)


def test_class_offset_scene_uses_only_the_sets_classes() -> None:
    cfg = SynthAVConfig(num_classes=6, clips_per_class=2, class_offset=10)
    scene = sample_scene(cfg, 5)
    assert scene.label == 2 and {o.label for o in scene.objects} <= set(range(6))
    assert clip_rel_path(cfg, 5)[0].startswith('videos/c12_star_')


def test_class_offset_validation_and_recorded_content() -> None:
    with pytest.raises(ValueError, match='class_offset'):
        SynthAVConfig(class_offset=3)
    with pytest.raises(ValueError, match='num_classes'):
        SynthAVConfig(num_classes=20, class_offset=60)
    # folders generated before the option existed stay up to date: 0 is not recorded
    assert 'class_offset' not in SynthAVConfig().to_dict()
    assert SynthAVConfig(class_offset=10).to_dict()['class_offset'] == 10
