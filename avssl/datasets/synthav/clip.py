"""One clip end to end: sample the scene, render frames and audio, encode, measure features."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from ..audio_features import log_mel_fbank
from .classes import build_classes
from .config import SynthAVConfig
from .render import render_frames
from .scene import Scene, sample_scene
from .sound import synthesize
from .writer import write_mp4


@dataclass(frozen=True)
class ClipResult:
    """What the generator keeps of a written clip.

    Args:
        clip_index (int): Global clip index.
        rel_path (str): Path relative to the data-set root, ``videos/<class>/<file>.mp4``.
        label (int): Class label.
        boxes (list[list[int]]): Sounding-object box per frame ``[x1, y1, x2, y2]``.
        fbank_sum (float): Sum of all log-mel values of the clip.
        fbank_sumsq (float): Sum of squares of all log-mel values.
        fbank_count (int): Number of log-mel values.
        occlusion (float): Worst box occlusion of any object (see :class:`~.scene.Scene`).
        num_bytes (int): Size of the written file.
    """

    clip_index: int
    rel_path: str
    label: int
    boxes: list[list[int]]
    fbank_sum: float
    fbank_sumsq: float
    fbank_count: int
    occlusion: float
    num_bytes: int


def clip_rel_path(cfg: SynthAVConfig, clip_index: int) -> tuple[str, int]:
    """Relative file path and label of a clip.

    Args:
        cfg (SynthAVConfig): Generator configuration.
        clip_index (int): Global clip index ``label * clips_per_class + i``.

    Returns:
        tuple[str, int]: ``('videos/<class>/<class>_<i:04d>.mp4', label)``.
    """
    label, i = divmod(clip_index, cfg.clips_per_class)
    name = build_classes(cfg.num_classes, cfg.class_offset)[label].name
    return f'videos/{name}/{name}_{i:04d}.mp4', label


def render_clip(cfg: SynthAVConfig, clip_index: int) -> tuple[Scene, np.ndarray, np.ndarray]:
    """Sample and render one clip in memory.

    Args:
        cfg (SynthAVConfig): Generator configuration.
        clip_index (int): Global clip index.

    Returns:
        tuple[Scene, np.ndarray, np.ndarray]: The scene, frames ``(T, S, S, 3)`` uint8 and the
        waveform ``(N,)`` float32.
    """
    scene = sample_scene(cfg, clip_index)
    frames = render_frames(scene, cfg)
    waveform = synthesize(scene.sound, scene.envelope, scene.progress, cfg.sample_rate)
    return scene, frames, waveform


def make_clip(cfg: SynthAVConfig, clip_index: int, root: str | Path) -> ClipResult:
    """Render one clip, write it under ``root`` and measure its log-mel statistics.

    Args:
        cfg (SynthAVConfig): Generator configuration.
        clip_index (int): Global clip index.
        root (str | Path): Data-set root; the class folder must exist.

    Returns:
        ClipResult: Boxes, feature sums and file size of the clip.
    """
    rel_path, label = clip_rel_path(cfg, clip_index)
    scene, frames, waveform = render_clip(cfg, clip_index)
    path = Path(root) / rel_path
    write_mp4(path, frames, waveform, cfg.fps, cfg.sample_rate)
    fbank = log_mel_fbank(torch.from_numpy(waveform), sample_rate=cfg.sample_rate).double()
    return ClipResult(
        clip_index=clip_index,
        rel_path=rel_path,
        label=label,
        boxes=scene.source_boxes.tolist(),
        fbank_sum=float(fbank.sum()),
        fbank_sumsq=float((fbank * fbank).sum()),
        fbank_count=int(fbank.numel()),
        occlusion=scene.occlusion,
        num_bytes=path.stat().st_size,
    )
