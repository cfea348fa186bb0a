"""Mean and std of the log-mel features of a data set's training audio (``stats.json``)."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..audio_features import DEFAULT_NUM_MEL_BINS, DEFAULT_SAMPLE_RATE, log_mel_fbank
from ..media_errors import MediaError
from ..transforms.av_decord import read_audio_track
from .parallel_map import parallel_map

#: Salt of the seeded draw of the clips the statistics are computed on (``splits.py`` uses 0
#: and 1, the validation hold-out 2).
STATS_SALT = 3


@dataclass
class AudioStats:
    """Log-mel statistics over a set of clips.

    Attributes:
        mean (float): Mean of every log-mel value of every clip.
        std (float): Standard deviation of the same values.
        clips (int): Clips the statistics were computed on.
        failures (list[tuple[str, str]]): ``(path, error)`` of clips whose audio could not be
            decoded (left out of the statistics).
    """

    mean: float
    std: float
    clips: int
    failures: list[tuple[str, str]] = field(default_factory=list)


def pick_stats_clips(paths: Sequence[str], max_clips: int, seed: int) -> list[str]:
    """A seeded subsample of ``paths`` to compute the audio statistics on.

    Args:
        paths (Sequence[str]): Training clips, in a fixed (sorted) order.
        max_clips (int): Clips to keep; ``<= 0`` or ``>= len(paths)`` keeps all of them.
        seed (int): Seed of the draw (``default_rng([seed, STATS_SALT])``).

    Returns:
        list[str]: The chosen paths, in their input order.
    """
    if max_clips <= 0 or max_clips >= len(paths):
        return list(paths)
    chosen = np.random.default_rng([seed, STATS_SALT]).choice(len(paths), max_clips, replace=False)
    return [paths[i] for i in sorted(chosen.tolist())]


def fbank_sums(path: str) -> tuple[float, float, int] | str:
    """Sum, sum of squares and count of the log-mel values of a file's whole audio track.

    The track is decoded as :class:`~avssl.datasets.transforms.AVDecordInit` decodes it (mono,
    16 kHz, decord) and featurised by :func:`~avssl.datasets.audio_features.log_mel_fbank`
    with its defaults (128 bins, 25 ms / 10 ms), as ``LoadAudioWindow`` does in training.

    Args:
        path (str): Media file.

    Returns:
        tuple[float, float, int] | str: The sums in float64, or the error text when the audio
        cannot be decoded or is shorter than one analysis window.
    """
    try:
        wav = read_audio_track(path, DEFAULT_SAMPLE_RATE)
        fbank = log_mel_fbank(wav, DEFAULT_SAMPLE_RATE).double()
    except (MediaError, ValueError, RuntimeError) as exc:
        return f'{type(exc).__name__}: {exc}'
    return float(fbank.sum()), float((fbank * fbank).sum()), int(fbank.numel())


def compute_audio_stats(
    paths: Sequence[str | os.PathLike[str]],
    workers: int = 1,
    progress: bool = True,
) -> AudioStats:
    """Mean and std of the log-mel values of all ``paths`` (whole tracks, pooled).

    Per-file sums are computed in ``workers`` processes and added up in the order of
    ``paths``, so the result does not depend on ``workers``.

    Args:
        paths (Sequence[str | os.PathLike[str]]): Media files.
        workers (int): Worker processes. Defaults to 1.
        progress (bool): Show a progress bar. Defaults to True.

    Returns:
        AudioStats: The statistics and the files that failed.

    Raises:
        ValueError: If no file gave any audio (the message lists the first failures).
    """
    files = [os.fspath(p) for p in paths]
    results = parallel_map(
        fbank_sums, files, workers=workers, desc='audio stats', progress=progress
    )
    total = total_sq = 0.0
    count = clips = 0
    failures: list[tuple[str, str]] = []
    for path, res in zip(files, results, strict=True):
        if isinstance(res, str):
            failures.append((path, res))
            continue
        total += res[0]
        total_sq += res[1]
        count += res[2]
        clips += 1
    if count == 0:
        listed = '; '.join(f'{p}: {e}' for p, e in failures[:5])
        raise ValueError(f'no audio could be read from the {len(files)} clip(s): {listed}')
    mean = total / count
    std = math.sqrt(max(total_sq / count - mean * mean, 0.0))
    return AudioStats(mean=mean, std=std, clips=clips, failures=failures)


def stats_payload(stats: AudioStats, counts: dict[str, int], prepare: dict) -> dict:
    """The content of ``stats.json``, in the format SynthAV's generator writes.

    Args:
        stats (AudioStats): Statistics of the training audio.
        counts (dict[str, int]): ``classes`` and the number of clips of every list file.
        prepare (dict): How the folder was made (tool, seed, options); stored under
            ``prepare`` (SynthAV stores its arguments under ``generator``).

    Returns:
        dict: ``audio_mean``, ``audio_std`` (rounded to 6 decimals, as SynthAV),
        ``num_mel_bins``, ``sample_rate``, ``counts``, ``audio_stats_clips``, ``prepare``.
    """
    return {
        'audio_mean': round(stats.mean, 6),
        'audio_std': round(stats.std, 6),
        'num_mel_bins': DEFAULT_NUM_MEL_BINS,
        'sample_rate': DEFAULT_SAMPLE_RATE,
        'counts': counts,
        'audio_stats_clips': stats.clips,
        'prepare': prepare,
    }
