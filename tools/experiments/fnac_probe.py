"""Fast FNAC probes on cached SynthAV tensors, outside the Runner (docs/results.md).

A localizer run through ``tools/train.py`` decodes every frame and waveform again; for
comparing training settings this script decodes once into ``.npz`` caches and trains the same
FNAC (built from a config, overrides as ``--set key=value``) with the same recipe: a random frame
(one of ``--frames`` evenly spaced ones per clip), resized to 123, random 112 crop, flip, the 3 s
of audio centred on it, Adam. Validation and test use the config's real evaluation pipeline
(centre frame, box) with ``avssl.analysis.localization_stats`` (the metric's cIoU, plus
pointing and map mass in the box) and the metric's AUC. Results are a probe, not a
replacement: the configs' numbers come from ``tools/train.py`` / ``tools/test.py``.

    python tools/experiments/fnac_probe.py cache-train data/synthav_loc work_dirs/probe/train.npz
    python tools/experiments/fnac_probe.py cache-eval configs/fnac_r18_synthav.py val \
        work_dirs/probe/val.npz   # and test
    python tools/experiments/fnac_probe.py train configs/fnac_r18_synthav.py \
        --cache-dir work_dirs/probe --out work_dirs/probe/sigma1.json --set map_sigma=1.0
"""

from __future__ import annotations

import argparse
import ast
import inspect
import json
import os
import time
from pathlib import Path

import decord
import numpy as np
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.logging import MessageHub
from mmengine.registry import init_default_scope

from avssl.analysis.localization_stats import (
    clip_localization_stats,
    summarize_localization_stats,
)
from avssl.datasets.transforms.audio_window import audio_window
from avssl.evaluation.metrics.localization_metric import success_auc
from avssl.models.localizers import IMAGENET_MEAN, IMAGENET_STD
from avssl.registry import DATASETS, MODELS
from avssl.utils import register_all_modules

SAMPLE_RATE = 16000
FPS = 25.0
MEAN = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1)
STD = torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)


def cache_train(root: Path, out: Path, frames_per_clip: int) -> None:
    """Decode ``frames_per_clip`` evenly spaced frames and the mono waveform of each clip."""
    rels = [line.split()[0] for line in (root / 'train.txt').read_text().splitlines() if line]
    frames = np.zeros((len(rels), frames_per_clip, 112, 112, 3), np.uint8)
    waves, inds = [], []
    for i, rel in enumerate(rels):
        path = str(root / rel)
        reader = decord.VideoReader(path)
        idx = np.linspace(0, len(reader) - 1, frames_per_clip).round().astype(int)
        frames[i] = reader.get_batch(list(idx)).asnumpy()
        waves.append(decord.AudioReader(path, sample_rate=SAMPLE_RATE, mono=True)[:].asnumpy()[0])
        inds.append(idx)
    lengths = np.array([len(w) for w in waves])
    padded = np.zeros((len(waves), lengths.max()), np.float32)
    for i, w in enumerate(waves):
        padded[i, : len(w)] = w
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(out, frames=frames, waves=padded, lengths=lengths, frame_inds=np.stack(inds))


def cache_eval(config: str, split: str, out: Path) -> None:
    """Run the config's ``{split}_dataloader`` pipeline once; store frames, audio and boxes."""
    cfg = Config.fromfile(config)
    init_default_scope('avssl')
    dataset = DATASETS.build(cfg[f'{split}_dataloader']['dataset'])
    imgs, audio, boxes, shapes = [], [], [], []
    for i in range(len(dataset)):
        item = dataset[i]
        imgs.append(item['inputs']['imgs'][0].numpy())
        audio.append(item['inputs']['asl_audio'][0].numpy())
        boxes.append(np.asarray(item['data_samples'].metainfo['gt_bboxes'], np.float32))
        shapes.append(item['data_samples'].metainfo['img_shape'])
    out.parent.mkdir(parents=True, exist_ok=True)
    arrays = {'imgs': np.stack(imgs), 'audio': np.stack(audio), 'boxes': np.stack(boxes)}
    np.savez(out, shapes=np.array(shapes), **arrays)


class TrainBatches:
    """Random (frame, 3 s audio) batches from a ``cache-train`` file, FNAC's augmentation."""

    def __init__(self, path: Path, batch_size: int, seed: int) -> None:
        data = np.load(path)
        self.frames = torch.from_numpy(data['frames'])
        self.waves, self.lengths = data['waves'], data['lengths']
        self.frame_inds = data['frame_inds']
        self.batch_size = batch_size
        self.rng = np.random.default_rng(seed)

    def __call__(self) -> tuple[torch.Tensor, torch.Tensor]:
        num_clips, num_frames = self.frames.shape[:2]
        clips = self.rng.integers(0, num_clips, self.batch_size)
        picks = self.rng.integers(0, num_frames, self.batch_size)
        x = self.frames[clips, picks].permute(0, 3, 1, 2).float()
        x = F.interpolate(x, size=(123, 123), mode='bilinear', align_corners=False)
        crops = []
        for b in range(self.batch_size):
            top, left = self.rng.integers(0, 12, 2)
            crop = x[b, :, top : top + 112, left : left + 112]
            crops.append(crop.flip(-1) if self.rng.random() < 0.5 else crop)
        audio = [
            audio_window(
                self.waves[c][: self.lengths[c]],
                self.frame_inds[c][k] / FPS * SAMPLE_RATE,
                int(3 * SAMPLE_RATE),
            )
            for c, k in zip(clips, picks, strict=True)
        ]
        return (torch.stack(crops) - MEAN) / STD, torch.from_numpy(np.stack(audio))


def evaluate(model: torch.nn.Module, path: Path) -> dict[str, float]:
    """cIoU@0.5, AUC, mean cIoU, pointing and map mass in the box on a ``cache-eval`` file."""
    data = np.load(path)
    imgs = (torch.from_numpy(data['imgs']).float() - MEAN) / STD
    audio = torch.from_numpy(data['audio'])
    model.eval()
    with torch.no_grad():
        chunks = [
            model.localization_map(imgs[i : i + 50], audio[i : i + 50])
            for i in range(0, len(imgs), 50)
        ]
    maps = torch.cat(chunks)
    model.train()
    stats = [
        clip_localization_stats(heat, boxes, shape)
        for heat, boxes, shape in zip(maps, data['boxes'], data['shapes'], strict=True)
    ]
    summary = summarize_localization_stats(stats)
    summary['AUC'] = success_auc([s.ciou for s in stats])
    return summary


def train(args: argparse.Namespace) -> None:
    """Train the config's FNAC (with ``key=value`` overrides) on the caches; log as JSON."""
    torch.manual_seed(args.seed)
    cfg = Config.fromfile(args.config)
    model_cfg = cfg.model
    for override in args.overrides:
        key, value = override.split('=', 1)
        if key not in inspect.signature(MODELS.get(model_cfg['type'])).parameters:
            raise KeyError(f'unknown {model_cfg["type"]} option {key!r}')
        model_cfg[key] = ast.literal_eval(value)
    model = MODELS.build(model_cfg)
    model.init_weights()
    model.train()
    optim = cfg.optim_wrapper['optimizer']
    opt = torch.optim.Adam(model.parameters(), lr=optim['lr'], weight_decay=optim['weight_decay'])
    cache = Path(args.cache_dir)
    batches = TrainBatches(cache / 'train.npz', args.batch_size, args.seed)
    hub = MessageHub.get_current_instance()
    log, start, running = [], time.time(), 0.0
    for it in range(args.iters):
        hub.update_info('iter', it)
        frames, audio = batches()
        losses = model.loss({'imgs': frames, 'asl_audio': audio})
        loss = sum(v for k, v in losses.items() if 'loss' in k)
        opt.zero_grad()
        loss.backward()
        opt.step()
        running += float(losses['loss_infonce'])
        if (it + 1) % args.eval_every == 0 or it + 1 == args.iters:
            record = {
                'iter': it + 1,
                'seconds': round(time.time() - start),
                'infonce': running / args.eval_every,
                'val': evaluate(model, cache / 'val.npz'),
            }
            running = 0.0
            print(json.dumps(record), flush=True)
            log.append(record)
    result = {'overrides': args.overrides, 'log': log, 'test': evaluate(model, cache / 'test.npz')}
    print(json.dumps({'test': result['test']}), flush=True)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(result, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = parser.add_subparsers(dest='command', required=True)
    p = sub.add_parser('cache-train')
    p.add_argument('root', type=Path)
    p.add_argument('out', type=Path)
    p.add_argument('--frames', type=int, default=8)
    p = sub.add_parser('cache-eval')
    p.add_argument('config')
    p.add_argument('split', choices=('val', 'test'))
    p.add_argument('out', type=Path)
    p = sub.add_parser('train')
    p.add_argument('config')
    p.add_argument(
        '--set',
        dest='overrides',
        nargs='+',
        default=[],
        metavar='KEY=VALUE',
        help='FNAC options (values are Python literals), e.g. --set map_sigma=1.0',
    )
    p.add_argument('--cache-dir', required=True)
    p.add_argument('--iters', type=int, default=1200)
    p.add_argument('--eval-every', type=int, default=400)
    p.add_argument('--batch-size', type=int, default=32)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--threads', type=int, default=int(os.environ.get('OMP_NUM_THREADS', 2)))
    p.add_argument('--out')
    args = parser.parse_args()
    register_all_modules()
    if args.command == 'cache-train':
        cache_train(args.root, args.out, args.frames)
    elif args.command == 'cache-eval':
        cache_eval(args.config, args.split, args.out)
    else:
        torch.set_num_threads(args.threads)
        train(args)


if __name__ == '__main__':
    main()
