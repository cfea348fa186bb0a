"""Pretrain the tiny encoders on SynthAV classes the target set does not contain.

``python tools/pretrain/synthav_pretrain.py`` regenerates everything the tiny configs start
from, in ``checkpoints/synthav_pretrained/``:

1. generates the pretraining set ``data/synthav_pretrain``: universe classes 10-29 (20 classes,
   10 families; shapes, textures, hues and timbres none of the target's 10 classes has), 60
   clips per class, generator seed 2, 54 train / 6 val clips per class, no test split;
2. decodes it once (8 frames and 3 log-mel windows per clip);
3. trains, on its train split only,
   * the tiny image ViT (timm layout) on single frames -> the sounding object's class,
   * (``--only video_presence``, not in the default) the same ViT on single frames -> every
     object's class (multi-label, binary cross-entropy), a start candidate,
   * (``--only video_clips_srcpulse``, not in the default) the tiny TimeSformer, started from
     the image ViT above as a Kinetics TimeSformer starts from ImageNet, on 8-frame clips ->
     the sounding object's class, on the pretraining classes generated with
     ``distractor_pulse=False`` (``<data>_srcpulse``: only the sounding object pulses, so a
     clip, not a frame, names it), the start of the source-pulse variant's video rows,
   * the tiny audio ViT (``AudioTransformer`` + head) on log-mel windows -> the sound family,
   * FNAC's visual ResNet-18 (torchvision layout, width 0.25, layer4 stride 1) on frames ->
     class,
   and measures each on the pretraining set's val split;
4. writes the three files and ``manifest.json`` (command, commit, sha256, sizes, metrics);
5. ``localizer`` (part of the default): trains the FNAC short schedule
   (``configs/fnac_r18_synthav_short.py``, which starts from the visual ResNet-18 of step 3) with
   ``tools/train.py``, tests it with ``tools/test.py`` (cIoU on SynthAV's test split) and ships
   its weights as the frozen localizer the method's tiny configs read, so the README's main job
   needs no localizer training;
6. ``localizer_long`` (part of the default): the same for the long schedule
   (``configs/fnac_r18_synthav.py``, 1,200 iterations, about 15 min), shipping the checkpoint
   with the best validation cIoU@0.5 (its ``save_best``), the localizer of the ``*_loclong``
   configs;
7. ``av_sync_head`` (part of the default, after ``video`` and ``audio``): the frame-aligned
   synchrony head (``tools/pretrain/av_sync_probe.py --tokens aligned --freeze-encoders``) on
   the two shipped encoders, frozen: pick a clip's own audio against another clip of its class,
   which only the sounding object's pulse solves. It is the start of the ``SyncPoolFusion``
   neck's head (the ``*_syncpool`` configs).

A frame shows three objects of three families, so a frame classifier is right on at most
about a third of the clips at top-1 (which object sounds cannot be seen); its top-3 can reach
100%. The sound fixes the family, hence the audio target.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from avssl.datasets.synthav import existing_is_up_to_date, generate_synthav  # noqa: E402
from avssl.pretrain import (  # noqa: E402
    AudioViTClassifier,
    ClassifierRecipe,
    ClipCache,
    ClipTimeSformerClassifier,
    ImageViTClassifier,
    ResNetClassifier,
    build_clip_cache,
    clip_probabilities,
    evaluate_classifier,
    export_state_dict,
    presence_recall,
    presence_targets,
    train_classifier,
    write_manifest,
)

#: The pretraining set: disjoint from the default 10-class set (universe classes 0-9).
PRETRAIN_SET = dict(
    num_classes=20,
    class_offset=10,
    clips_per_class=60,
    seed=2,
    val_fraction=0.1,
    test_fraction=0.0,
)
FILES = {
    'video': 'vit_tiny_p16_112_synthav20.pth',
    'video_presence': 'vit_tiny_p16_112_synthav20_presence.pth',
    'video_clips_srcpulse': 'timesformer_tiny_p16_112_synthav20_srcpulse.pth',
    'audio': 'audio_vit_tiny_p16_synthav20.pth',
    'fnac_visual': 'resnet18_w025_synthav20.pth',
    'localizer': 'fnac_r18_w025_synthav_short.pth',
    'localizer_long': 'fnac_r18_w025_synthav.pth',
    'av_sync_head': 'av_sync_head_tiny_synthav20.pth',
}


@dataclass(frozen=True)
class LocalizerRun:
    """How one shipped localizer is trained, chosen and tested."""

    config: str
    work_dir: str
    #: ``'last'``: the run's last checkpoint; ``'best'``: the one its ``save_best`` kept (the
    #: best validation cIoU@0.5), tested into ``<work_dir>/test_best``.
    checkpoint: str


#: Jobs trained on a variant of the pretraining set: ``<data><suffix>``, generated with the
#: pretraining set's arguments plus these (same classes, seed and splits).
VARIANT_DATA = {
    'video_clips_srcpulse': ('_srcpulse', dict(distractor_pulse=False)),
}

LOCALIZERS = {
    'localizer': LocalizerRun(
        'configs/fnac_r18_synthav_short.py', 'work_dirs/fnac_r18_synthav_short', 'last'
    ),
    'localizer_long': LocalizerRun(
        'configs/fnac_r18_synthav.py', 'work_dirs/fnac_r18_synthav_pre', 'best'
    ),
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--out', default='checkpoints/synthav_pretrained', help='output folder')
    parser.add_argument('--data', default='data/synthav_pretrain', help='pretraining set folder')
    parser.add_argument('--video-steps', type=int, default=1500)
    parser.add_argument('--audio-steps', type=int, default=800)
    parser.add_argument('--resnet-steps', type=int, default=1200)
    parser.add_argument('--clip-steps', type=int, default=1200)
    parser.add_argument('--sync-steps', type=int, default=1000, help='steps of av_sync_head')
    parser.add_argument('--sync-lr', type=float, default=3e-3, help='peak lr of av_sync_head')
    parser.add_argument('--clips-per-class', type=int, default=PRETRAIN_SET['clips_per_class'])
    parser.add_argument(
        '--only',
        nargs='+',
        choices=sorted(FILES),
        default=['audio', 'fnac_visual', 'video', 'localizer', 'localizer_long', 'av_sync_head'],
        help='what to (re)make, in this order; the localizers need fnac_visual',
    )
    parser.add_argument('--seed', type=int, default=0, help='initialisation and batch seed')
    parser.add_argument('--workers', type=int, default=2, help='generator worker processes')
    parser.add_argument(
        '--reuse-localizer-run',
        action='store_true',
        help='package a localizer run that finished and was tested (its work dir holds '
        'test/test_metrics.json, or test_best/ for the long schedule) instead of training it '
        'again',
    )
    parser.add_argument(
        '--evaluate',
        action='store_true',
        help='train nothing: measure the shipped image-ViT files of --only (video, '
        'video_presence) on the pretraining val split (top-1 / top-3 of the sounding object, '
        'presence recall) and print the numbers; the manifest is left as it is',
    )
    return parser.parse_args(argv)


def jitter_frames(frames: Tensor, gen: torch.Generator, size: int = 112, group: int = 1) -> Tensor:
    """Random rescale to [size, 1.3 size], random crop back to ``size``, random flip.

    The flip is drawn per run of ``group`` consecutive frames (the frames of one clip).
    """
    scale = int(torch.randint(size, int(size * 1.3) + 1, (1,), generator=gen))
    x = F.interpolate(frames, size=(scale, scale), mode='bilinear', align_corners=False)
    top, left = (int(torch.randint(0, scale - size + 1, (1,), generator=gen)) for _ in range(2))
    x = x[:, :, top : top + size, left : left + size]
    flip = torch.rand(x.shape[0] // group, generator=gen) < 0.5
    flip = flip.repeat_interleave(group)
    return torch.where(flip[:, None, None, None], x.flip(-1), x)


def clip_sampler(cache: ClipCache):
    """Random clips (all K cached frames, one jitter per clip) ``(B, 3, K, H, W)``, labels."""
    frames = torch.from_numpy(cache.frames)  # (N, K, H, W, 3) uint8
    labels = torch.from_numpy(cache.labels)

    def sample(gen: torch.Generator, idx: Tensor) -> tuple[Tensor, Tensor]:
        batch, k = idx.shape[0], frames.shape[1]
        x = frames[idx].flatten(0, 1).permute(0, 3, 1, 2).float()  # (B * K, 3, H, W)
        x = jitter_frames(x, gen, group=k)
        return x.reshape(batch, k, *x.shape[1:]).transpose(1, 2), labels[idx]

    return sample


def clip_views(cache: ClipCache):
    frames = torch.from_numpy(cache.frames)

    def views(idx: Tensor) -> Tensor:
        return frames[idx].permute(0, 4, 1, 2, 3).float()[None]  # (1, B, 3, K, H, W)

    return views


def frame_sampler(cache: ClipCache, targets: np.ndarray | None = None):
    """Random frames of random clips, jittered, with their clip labels (or ``targets`` rows)."""
    frames = torch.from_numpy(cache.frames)  # (N, K, H, W, 3) uint8
    labels = torch.from_numpy(cache.labels if targets is None else targets)

    def sample(gen: torch.Generator, idx: Tensor) -> tuple[Tensor, Tensor]:
        k = torch.randint(0, frames.shape[1], (idx.shape[0],), generator=gen)
        x = frames[idx, k].permute(0, 3, 1, 2).float()
        return jitter_frames(x, gen), labels[idx]

    return sample


def frame_views(cache: ClipCache):
    frames = torch.from_numpy(cache.frames)

    def views(idx: Tensor) -> Tensor:
        return frames[idx].permute(1, 0, 4, 2, 3).float()  # (K, B, 3, H, W)

    return views


def audio_sampler(cache: ClipCache, family_size: int = 2):
    audio = torch.from_numpy(cache.audio)  # (N, A, T, F) float16
    families = torch.from_numpy(cache.labels) // family_size

    def sample(gen: torch.Generator, idx: Tensor) -> tuple[Tensor, Tensor]:
        w = torch.randint(0, audio.shape[1], (idx.shape[0],), generator=gen)
        x = audio[idx, w].float()[:, None]
        # time masking (SpecAugment-like, up to 48 frames) and a random gain in the log domain
        start = torch.randint(0, x.shape[2] - 48, (idx.shape[0],), generator=gen)
        width = torch.randint(0, 49, (idx.shape[0],), generator=gen)
        t = torch.arange(x.shape[2])[None]
        mask = (t >= start[:, None]) & (t < (start + width)[:, None])
        x = x.masked_fill(mask[:, None, :, None], 0.0)
        return x, families[idx]

    return sample


def audio_views(cache: ClipCache):
    audio = torch.from_numpy(cache.audio)

    def views(idx: Tensor) -> Tensor:
        return audio[idx].float().permute(1, 0, 2, 3)[:, :, None]  # (A, B, 1, T, F)

    return views


def cached_split(data: Path, split: str, frames: int = 8) -> ClipCache:
    """Decode ``<split>.txt`` once; later runs read ``<data>/pretrain_cache_<split>.npz``
    (``..._f<frames>.npz`` for another number of frames than 8, spread evenly over a clip)."""
    suffix = '' if frames == 8 else f'_f{frames}'
    path = data / f'pretrain_cache_{split}{suffix}.npz'
    if path.is_file():
        arrays = np.load(path)
        return ClipCache(arrays['frames'], arrays['audio'], arrays['labels'])
    cache = build_clip_cache(str(data), f'{split}.txt', frames_per_clip=frames)
    tmp = path.with_name(path.stem + '.tmp.npz')
    np.savez(tmp, frames=cache.frames, audio=cache.audio, labels=cache.labels)
    os.replace(tmp, path)
    return cache


def update_manifest(path: Path, fields: dict, name: str, entry: dict) -> None:
    """Write ``fields`` and the entry of ``name``, keeping the other entries on disk.

    Re-reading the file before each write lets two runs of this tool (say ``--only video`` and
    ``--only localizer``) fill the same manifest without dropping each other's entries.
    """
    import json

    current = json.loads(path.read_text(encoding='utf-8')) if path.is_file() else {}
    current.update({k: v for k, v in fields.items() if k != 'files'})
    entry = dict(entry, command=fields['command'], commit=fields['commit'])
    current.setdefault('files', {})[name] = entry
    write_manifest(path, current)


def git_commit() -> str:
    try:
        out = subprocess.run(
            ['git', 'rev-parse', 'HEAD'], cwd=ROOT, capture_output=True, text=True, check=True
        )
        dirty = subprocess.run(
            ['git', 'status', '--porcelain', '--untracked-files=no'],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return out.stdout.strip() + ('+dirty' if dirty else '')
    except (OSError, subprocess.CalledProcessError):
        return 'unknown'


def train_localizer(out: Path, name: str, reuse: bool = False) -> dict:
    """Train and test one FNAC schedule of ``LOCALIZERS``; ship its weights (avssl FNAC keys).

    The short schedule ships its last checkpoint; the long one the checkpoint with the best
    validation cIoU@0.5 (its config's ``save_best``), so no test number chooses either.
    """
    import json

    from avssl.models.localizers.fnac_checkpoint import read_fnac_state_dict

    run = LOCALIZERS[name]
    work = ROOT / run.work_dir
    test_dir = work / ('test' if run.checkpoint == 'last' else 'test_best')
    t0 = time.perf_counter()
    reused = reuse and (test_dir / 'test_metrics.json').is_file()
    if not reused:
        train = [sys.executable, 'tools/train.py', run.config, '--work-dir', str(work)]
        print(f'[{name}] ' + ' '.join(train), flush=True)
        subprocess.run(train, cwd=ROOT, check=True)
        test = [
            sys.executable,
            'tools/test.py',
            run.config,
            str(chosen_checkpoint(work, run.checkpoint)),
            '--work-dir',
            str(test_dir),
        ]
        print(f'[{name}] ' + ' '.join(test), flush=True)
        subprocess.run(test, cwd=ROOT, check=True)
    seconds = time.perf_counter() - t0
    checkpoint = chosen_checkpoint(work, run.checkpoint)
    state = read_fnac_state_dict(checkpoint)
    path = out / FILES[name]
    digest = export_state_dict(state, path)
    metrics = json.loads((test_dir / 'test_metrics.json').read_text())
    print(f'[{name}] {path} test {metrics} sha256 {digest[:12]}', flush=True)
    timing = dict(reused_run=run.work_dir) if reused else dict(train_seconds=round(seconds, 1))
    return dict(
        file=FILES[name],
        sha256=digest,
        bytes=os.path.getsize(path),
        layout='avssl FNAC keys (visual_net, visual_proj, audio_net, audio_proj)',
        task=f'{run.config} trained with tools/train.py, tested with tools/test.py on '
        'SynthAV test (cIoU@0.5, AUC)',
        checkpoint=f'{run.checkpoint} ({Path(checkpoint).name})',
        **timing,
        test={k: round(float(v), 4) for k, v in metrics.items() if isinstance(v, int | float)},
    )


@dataclass(frozen=True)
class VariantSet:
    """A variant of the pretraining set that one job trains on (``VARIANT_DATA``)."""

    folder: Path
    generator: dict
    train: ClipCache
    val: ClipCache


def ensure_set(folder: Path, arguments: dict, workers: int) -> None:
    """Generate ``folder`` unless it holds a complete set generated with ``arguments``.

    A complete folder generated with other arguments (another class range, another seed) is
    refused, naming them: training on it would mislabel the files' manifest and targets.
    """
    if not existing_is_up_to_date(folder, arguments):
        print(f'generating the pretraining set {folder} ({arguments})', flush=True)
        generate_synthav(folder, workers=workers, progress=False, **arguments)


def clip_classifier(num_classes: int, start: Path) -> ClipTimeSformerClassifier:
    """The clip TimeSformer, started from the shipped image ViT (``start``)."""
    if not start.is_file():
        raise FileNotFoundError(
            f'the clip TimeSformer starts from {start}; make it first (--only video)'
        )
    model = ClipTimeSformerClassifier(num_classes)
    model.init_from(str(start))
    return model


def val_metrics(
    model: torch.nn.Module, name: str, views, labels: Tensor, data: Path, num_val: int
) -> dict:
    """Top-1 / top-3 on the val split and, for the frame classifiers, presence recall (how many
    of each val clip's objects are among its three highest scores)."""
    activation = 'sigmoid' if name == 'video_presence' else 'softmax'
    metrics = evaluate_classifier(model, views, labels, activation=activation)
    if name in ('video', 'video_presence', 'fnac_visual'):
        scores = clip_probabilities(model, views, num_val, activation=activation).numpy()
        recall = presence_recall(scores, presence_targets(str(data), 'val.txt'))
        metrics['presence_recall'] = round(recall, 4)
    return metrics


def load_shipped(model: torch.nn.Module, path: Path, name: str) -> None:
    """Load a shipped image-ViT file strictly into ``model`` (for ``--evaluate``)."""
    if name not in ('video', 'video_presence'):
        raise ValueError(
            f'--evaluate measures the image-ViT files (video, video_presence), not {name}'
        )
    if not path.is_file():
        raise FileNotFoundError(f'--evaluate: {path} is not there; train it first')
    model.load_state_dict(torch.load(path, map_location='cpu', weights_only=True))


def chosen_checkpoint(work: Path, which: str) -> Path:
    """The run's ``last`` checkpoint, or the ``best_*`` one its ``save_best`` kept."""
    if which == 'last':
        return Path((work / 'last_checkpoint').read_text().strip())
    best = sorted(work.glob('best_*.pth'))
    if len(best) != 1:
        raise FileNotFoundError(
            f'{work} should hold exactly one best_*.pth checkpoint (save_best), found '
            f'{[p.name for p in best]}'
        )
    return best[0]


def train_sync_head(out: Path, data: Path, steps: int, lr: float) -> dict:
    """Train the synchrony head on the shipped video and audio starts (frozen), export it.

    Runs ``tools/pretrain/av_sync_probe.py`` (the frame-aligned head, partners of the clip's
    own class, so only the pulse tells them apart) into ``work_dirs/av_sync_head`` and writes
    the head's keys as a plain file: the start of :class:`~avssl.models.necks.SyncPoolFusion`.

    Returns:
        dict: The manifest entry (val: the share of the fixed val pairs whose own audio wins).
    """
    import json

    import av_sync_probe  # same folder; imported here as it imports this module

    work = ROOT / 'work_dirs' / 'av_sync_head'
    recipe = dict(steps=steps, lr=lr, batch_size=16, negatives='same', seed=0, encoders='frozen')
    t0 = time.perf_counter()
    av_sync_probe.main(
        ['--data', str(data), '--tokens', 'aligned', '--negatives', 'same', '--freeze-encoders']
        + ['--steps', str(steps), '--lr', str(lr), '--out', str(work)]
        + ['--video-start', str(out / FILES['video']), '--audio-start', str(out / FILES['audio'])]
    )
    seconds = time.perf_counter() - t0
    state = torch.load(work / 'sync.pth', map_location='cpu', weights_only=True)
    head = {k.removeprefix('aligned.'): v for k, v in state.items() if k.startswith('aligned.')}
    path = out / FILES['av_sync_head']
    digest = export_state_dict(head, path)
    record = json.loads((work / 'probe.json').read_text(encoding='utf-8'))
    last = record['curve'][-1]
    print(f'[av_sync_head] {path} val {last} sha256 {digest[:12]} ({seconds:.0f} s)', flush=True)
    return dict(
        file=FILES['av_sync_head'],
        sha256=digest,
        bytes=os.path.getsize(path),
        layout='avssl FrameAlignedSyncHead keys (video_proj, audio_proj: 96 -> 32; bias)',
        task=(
            "a clip's own audio against another clip of its class (same timbre, another "
            'envelope: only the pulse tells), 8 frames over the clip, the middle log-mel window; '
            f'the encoders frozen at {FILES["video"]} and {FILES["audio"]}'
        ),
        recipe=recipe,
        train_seconds=round(seconds, 1),
        final_train_loss=round(last['train_loss'], 4),
        val=dict(
            num_pairs=record['val_pairs'],
            top1=last['val_same'],
            other_class=last['val_other'],
            no_learning_baseline=record['correlation_baseline']['same'],
        ),
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    torch.set_num_threads(max(1, torch.get_num_threads()))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    content = dict(PRETRAIN_SET, clips_per_class=args.clips_per_class)
    data = Path(args.data)
    if not set(args.only) <= set(VARIANT_DATA):
        ensure_set(data, content, args.workers)
    start = time.perf_counter()
    if set(args.only) <= set(LOCALIZERS) | set(VARIANT_DATA) | {'av_sync_head'}:
        empty = np.zeros((0,), np.int64)
        train = val = ClipCache(empty, empty, empty)
    else:
        train, val = (cached_split(data, split) for split in ('train', 'val'))
    variant: dict[str, VariantSet] = {}
    for name in args.only:
        if name in VARIANT_DATA:
            suffix, extra = VARIANT_DATA[name]
            folder, arguments = Path(str(data) + suffix), dict(content, **extra)
            ensure_set(folder, arguments, args.workers)
            splits = (cached_split(folder, split) for split in ('train', 'val'))
            variant[name] = VariantSet(folder, arguments, *splits)
    decoded = [(train, val)] + [(v.train, v.val) for v in variant.values()]
    print(
        f'decoded {sum(len(t) for t, _ in decoded)} train / {sum(len(v) for _, v in decoded)} '
        f'val clips in {time.perf_counter() - start:.0f} s',
        flush=True,
    )

    manifest_path = out / 'manifest.json'
    manifest = {}
    if manifest_path.is_file():
        import json

        manifest = json.loads(manifest_path.read_text(encoding='utf-8'))
    manifest.update(
        command='python tools/pretrain/synthav_pretrain.py ' + ' '.join(argv or sys.argv[1:]),
        commit=git_commit(),
        torch=torch.__version__,
    )
    if len(train):  # a localizer-only run keeps the record of the data the encoders saw
        manifest['data'] = dict(
            folder=str(data), generator=content, train_clips=len(train), val_clips=len(val)
        )
    files = manifest.setdefault('files', {})
    num_classes = content['num_classes']
    presence = 'video_presence' in args.only
    clips = variant.get('video_clips_srcpulse')
    clip_train, clip_val = (clips.train, clips.val) if clips else (train, val)
    jobs = {
        'video': (
            lambda: ImageViTClassifier(num_classes),
            frame_sampler(train),
            frame_views(val),
            torch.from_numpy(val.labels),
            ClassifierRecipe(steps=args.video_steps, batch_size=64, lr=1e-3, seed=args.seed),
            'timm VisionTransformer (img 112, patch 16, width 96, depth 2, 3 heads)',
            'frames -> sounding object class (20); val top-1 is capped near 1/3',
            None,
        ),
        'video_presence': (
            lambda: ImageViTClassifier(num_classes),
            frame_sampler(train, presence_targets(str(data), 'train.txt') if presence else None),
            frame_views(val),
            torch.from_numpy(val.labels),
            ClassifierRecipe(
                steps=args.video_steps, batch_size=64, lr=1e-3, label_smoothing=0.0, seed=args.seed
            ),
            'timm VisionTransformer (img 112, patch 16, width 96, depth 2, 3 heads)',
            "frames -> every object's class (20, multi-label, binary cross-entropy); val top-1 "
            '(the sounding object) is capped near 1/3, presence recall can reach 1',
            None,
        ),
        'video_clips_srcpulse': (
            lambda: clip_classifier(num_classes, out / FILES['video']),
            clip_sampler(clip_train),
            clip_views(clip_val),
            torch.from_numpy(clip_val.labels),
            ClassifierRecipe(steps=args.clip_steps, batch_size=16, lr=5e-4, seed=args.seed),
            'mmaction2 TimeSformer recognizer keys (backbone.*: img 112, patch 16, width 96, '
            '2 layers, 3 heads, divided space-time, 8 frames; cls_head.fc_cls.*)',
            f'8-frame clips -> sounding object class (20), started from {FILES["video"]}; '
            'only the sounding object pulses (distractor_pulse=False), so a clip can name it',
            'export_state_dict',
        ),
        'audio': (
            lambda: AudioViTClassifier(num_classes // 2),
            audio_sampler(train),
            audio_views(val),
            torch.from_numpy(val.labels) // 2,
            ClassifierRecipe(steps=args.audio_steps, batch_size=64, lr=1e-3, seed=args.seed),
            'avssl AudioTransformer, timm key names (256x128 log-mel, patch 16, width 96, '
            'depth 2, 3 heads) + head',
            'log-mel window -> sound family (10)',
            'export_state_dict',
        ),
        'fnac_visual': (
            lambda: ResNetClassifier(num_classes),
            frame_sampler(train),
            frame_views(val),
            torch.from_numpy(val.labels),
            ClassifierRecipe(
                steps=args.resnet_steps, batch_size=64, lr=2e-3, weight_decay=1e-4, seed=args.seed
            ),
            'torchvision ResNet-18 keys, stage widths 16/32/64/128, layer4 stride 1, + fc',
            'frames -> sounding object class (20); val top-1 is capped near 1/3',
            'export_state_dict',
        ),
    }
    for name in args.only:
        if name == 'av_sync_head':
            entry = train_sync_head(out, data, args.sync_steps, args.sync_lr)
            update_manifest(manifest_path, manifest, name, entry)
            continue
        if name in LOCALIZERS:
            update_manifest(
                manifest_path, manifest, name, train_localizer(out, name, args.reuse_localizer_run)
            )
            continue
        build, sample, views, labels, recipe, layout, task, exporter = jobs[name]
        torch.manual_seed(recipe.seed)
        model = build()
        if args.evaluate:
            load_shipped(model, out / FILES[name], name)
            print(f'[{name}] {val_metrics(model, name, views, labels, data, len(labels))}')
            continue
        t0 = time.perf_counter()
        print(f'[{name}] training {recipe}', flush=True)
        multilabel = name == 'video_presence'
        history = train_classifier(
            model,
            len(variant[name].train) if name in variant else len(train),
            sample,
            recipe,
            log=lambda s, n=name: print(f'[{n}] {s}', flush=True),
            loss_fn=F.binary_cross_entropy_with_logits if multilabel else None,
        )
        seconds = time.perf_counter() - t0
        metrics = val_metrics(model, name, views, labels, data, len(labels))
        state = getattr(model, exporter)() if exporter else model.state_dict()
        path = out / FILES[name]
        digest = export_state_dict(state, path)
        files[name] = dict(
            file=FILES[name],
            sha256=digest,
            bytes=os.path.getsize(path),
            layout=layout,
            task=task,
            recipe=vars(recipe) if hasattr(recipe, '__dict__') else recipe.__dict__,
            train_seconds=round(seconds, 1),
            final_train_loss=round(history[-1], 4),
            val=metrics,
        )
        if name in variant:
            files[name]['data'] = dict(
                folder=str(variant[name].folder),
                generator=variant[name].generator,
                train_clips=len(variant[name].train),
                val_clips=len(variant[name].val),
            )
        print(f'[{name}] {path} val {metrics} sha256 {digest[:12]} ({seconds:.0f} s)', flush=True)
        update_manifest(manifest_path, manifest, name, files.pop(name))
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
