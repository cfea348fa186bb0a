"""Probe: can the tiny audio-visual network learn audio-visual synchrony on the pretraining set?

Each step draws clips in class pairs and asks :class:`~avssl.pretrain.av_sync.AVSyncNet` to
pick each clip's own audio against a partner's (``--negatives``: ``same`` class, so only the
pulse can tell; ``other`` class, so the timbre can; ``mixed``). Validation scores both kinds on
fixed pairs of the pretraining set's val split (chance is 0.5) and the curve is written to
``<out>/probe.json`` (with the weights in ``<out>/sync.pth``).

Example::

    python tools/pretrain/av_sync_probe.py --negatives same --steps 1000 \
        --out work_dirs/av_sync_probe/same

Uses the pretraining set and its decoded cache that ``tools/pretrain/synthav_pretrain.py`` makes
(``data/synthav_pretrain``, classes disjoint from the target's).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthav_pretrain import PRETRAIN_SET, cached_split, ensure_set, jitter_frames  # noqa: E402

from avssl.pretrain.av_sync import (  # noqa: E402
    PARTNER_KINDS,
    SYNC_TOKENS,
    AVSyncNet,
    class_pair_batch,
    pulse_match,
    sync_partners,
    window_envelope,
)

START = Path('checkpoints/synthav_pretrained')


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--data', default='data/synthav_pretrain', help='the pretraining set')
    p.add_argument('--steps', type=int, default=1000)
    p.add_argument('--batch', type=int, default=16, help='clips per step (class pairs)')
    p.add_argument('--lr', type=float, default=5e-4, help='AdamW peak lr (warm-up 50, cosine)')
    p.add_argument(
        '--tokens',
        default='all',
        choices=list(SYNC_TOKENS),
        help='what the fusion reads (aligned: no fusion, the frame-aligned head)',
    )
    p.add_argument('--fusion-layers', type=int, default=1)
    p.add_argument('--negatives', default='same', choices=PARTNER_KINDS)
    p.add_argument(
        '--video-start',
        default=str(START / 'vit_tiny_p16_112_synthav20.pth'),
        help='video encoder start (an image ViT or a clip TimeSformer file)',
    )
    p.add_argument('--audio-start', default=str(START / 'audio_vit_tiny_p16_synthav20.pth'))
    p.add_argument('--scratch', action='store_true', help='both encoders from scratch')
    p.add_argument(
        '--freeze-encoders',
        action='store_true',
        help='train the head alone on the encoders as they start (the recognizer start)',
    )
    p.add_argument('--eval-every', type=int, default=200)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument(
        '--frames', type=int, default=8, help='frames per clip, spread evenly over the clip'
    )
    p.add_argument('--duration', type=float, default=3.0, help='clip length of --data (s)')
    p.add_argument('--fps', type=int, default=25, help='frame rate of --data')
    p.add_argument('--val-split', default='val', help='split of --data scored (two clips a class)')
    p.add_argument('--out', default='work_dirs/av_sync_probe')
    return p.parse_args(argv)


def frame_times(duration: float, fps: int, num_frames: int) -> np.ndarray:
    """Clip times (s) of the cache's ``num_frames`` frames, spread evenly over the clip."""
    total = int(round(duration * fps))
    return np.linspace(0, total - 1, num_frames).round() / fps


def window_seconds(logmel_frames: int = 256) -> float:
    """Length (s) of a log-mel window of ``logmel_frames`` frames (10 ms hop, 25 ms frames)."""
    return (logmel_frames - 1) * 0.01 + 0.025


def window_start(duration: float, logmel_frames: int = 256) -> float:
    """Clip time (s) of the first sample of the middle log-mel window."""
    return duration / 2 - window_seconds(logmel_frames) / 2


def audio_slots(
    duration: float, fps: int, num_frames: int, patch: int = 16, logmel_frames: int = 256
) -> list[int]:
    """For each frame, the audio time patch (``patch`` filterbank frames) that holds its time,
    or -1 where the frame lies outside the middle window."""
    start = window_start(duration, logmel_frames)
    slots = []
    for t in frame_times(duration, fps, num_frames):
        centre = (t - start - 0.0125) / 0.01  # filterbank frame whose centre is at t
        slot = int(np.floor(centre / patch)) if centre >= 0 else -1
        slots.append(slot if 0 <= slot < logmel_frames // patch else -1)
    return slots


def correlation_baseline(
    frames: np.ndarray,
    logmel: np.ndarray,
    kind: str,
    duration: float,
    fps: int,
    chunk: int = 40,
) -> float:
    """Share of the validation pairs where :func:`pulse_match` prefers the clip's own audio.

    ``frames`` ``(N, K, H, W, 3)`` are the cache's K frames spread evenly over the clip and
    ``logmel`` ``(N, T, F)`` its middle window; only the frames inside the window are used.
    Partners are drawn per chunk of ``chunk`` pairs, as the probe's validation draws them.
    """
    times = frame_times(duration, fps, frames.shape[1])
    window = window_seconds(logmel.shape[1])
    start = window_start(duration, logmel.shape[1])
    inside = np.flatnonzero((times > start + 0.03) & (times < start + window - 0.03))
    right = 0
    for s in range(0, len(frames), chunk):
        n = min(chunk, len(frames) - s)
        partner = sync_partners(n, kind, torch.Generator().manual_seed(s)).numpy()
        for j in range(n):
            clip = frames[s + j][inside]
            own = pulse_match(clip, window_envelope(logmel[s + j], times[inside], start))
            other = pulse_match(clip, window_envelope(logmel[s + partner[j]], times[inside], start))
            right += own > other
    return right / len(frames)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    torch.manual_seed(args.seed)
    data = Path(args.data)
    if args.data == 'data/synthav_pretrain':
        ensure_set(data, dict(PRETRAIN_SET), workers=2)
    train = cached_split(data, 'train', args.frames)
    val = cached_split(data, args.val_split, args.frames)
    model = AVSyncNet(
        None if args.scratch else args.video_start,
        None if args.scratch else args.audio_start,
        fusion_layers=args.fusion_layers,
        tokens=args.tokens,
        num_frames=args.frames,
        slots=audio_slots(args.duration, args.fps, args.frames),
    )
    if args.freeze_encoders:
        for encoder in (model.video, model.audio):
            encoder.requires_grad_(False)
    trainable = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(trainable, lr=args.lr, weight_decay=0.05)
    gen = torch.Generator().manual_seed(args.seed)
    frames, audio = torch.from_numpy(train.frames), torch.from_numpy(train.audio)
    # Fixed validation pairs; the middle log-mel window is the one the frames span best.
    val_idx = class_pair_batch(val.labels, 2 * (len(val) // 2), torch.Generator().manual_seed(123))
    vf, va = val.frames[val_idx.numpy()], val.audio[val_idx.numpy()][:, 1].astype(np.float32)
    val_frames = torch.from_numpy(vf).permute(0, 4, 1, 2, 3).float()
    val_audio = torch.from_numpy(va)[:, None]
    baseline = {
        kind: correlation_baseline(vf, va, kind, args.duration, args.fps)
        for kind in ('same', 'other')
    }
    print(json.dumps(dict(correlation_baseline=baseline)), flush=True)

    def evaluate(kind: str, chunk: int = 40) -> float:
        model.eval()
        right = 0
        with torch.no_grad():
            for s in range(0, len(val_idx), chunk):
                n = min(chunk, len(val_idx) - s)
                partner = sync_partners(n, kind, torch.Generator().manual_seed(s))
                logits = model(val_frames[s : s + n], val_audio[s : s + n], partner)
                right += int((logits.argmax(1) == 0).sum())
        model.train()
        return right / len(val_idx)

    curve, losses, t0 = [], [], time.time()
    for step in range(args.steps):
        warm = min(1.0, (step + 1) / 50)
        for group in opt.param_groups:
            group['lr'] = args.lr * warm * 0.5 * (1 + math.cos(math.pi * step / args.steps))
        idx = class_pair_batch(train.labels, args.batch, gen)
        x = frames[idx].flatten(0, 1).permute(0, 3, 1, 2).float()
        x = jitter_frames(x, gen, group=args.frames)
        x = x.reshape(len(idx), args.frames, *x.shape[1:]).transpose(1, 2)
        logits = model(x, audio[idx][:, 1:2].float(), sync_partners(len(idx), args.negatives, gen))
        loss = F.cross_entropy(logits, torch.zeros(len(idx), dtype=torch.long))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        if (step + 1) % args.eval_every == 0 or step + 1 == args.steps:
            point = dict(
                step=step + 1,
                train_loss=sum(losses[-50:]) / len(losses[-50:]),
                val_same=evaluate('same'),
                val_other=evaluate('other'),
                seconds=round(time.time() - t0, 1),
            )
            curve.append(point)
            print(json.dumps(point), flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), out / 'sync.pth')
    record = dict(
        args=vars(args),
        val_pairs=len(val_idx),
        chance=0.5,
        correlation_baseline=baseline,
        curve=curve,
    )
    (out / 'probe.json').write_text(json.dumps(record, indent=1) + '\n')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
