"""Cut the audio that goes with each sampled clip and turn it into normalised log-mel features."""

from __future__ import annotations

import json
import os.path as osp
from typing import Any

import numpy as np

from avssl.registry import TRANSFORMS

from ..audio_features import log_mel_fbank
from .base import AVTransform


def clip_centres(frame_inds: np.ndarray, num_clips: int, total_frames: int) -> np.ndarray:
    """Centre of each sampled clip, in frames of the (looped) video timeline.

    ``SampleFrames`` wraps indices past the end of a short video back to its start; the wrap
    is undone here (indices within a clip increase), so a looped clip's centre lies past the
    end and the audio, looped the same way, stays aligned with the frames.

    Args:
        frame_inds (np.ndarray): Sampled frame indices, ``num_clips * clip_len`` of them.
        num_clips (int): Number of clips.
        total_frames (int): Frames in the video.

    Returns:
        np.ndarray: Centres, shape ``(num_clips,)``, float64, in frames.
    """
    inds = np.asarray(frame_inds, dtype=np.float64).reshape(num_clips, -1)
    wraps = np.concatenate(
        [np.zeros((num_clips, 1)), np.cumsum(np.diff(inds, axis=1) < 0, axis=1)], axis=1
    )
    unwrapped = inds + wraps * total_frames
    return (unwrapped[:, 0] + unwrapped[:, -1]) / 2.0


def audio_window(waveform: np.ndarray, centre: float, length: int) -> np.ndarray:
    """``length`` samples centred on sample ``centre``, looping a track shorter than that.

    A centre past the end of the track (a looped video) is taken modulo the track length. A
    track at least ``length`` long gives a contiguous window shifted inside the track; a
    shorter one is tiled (the window reads the track cyclically), as short videos are looped.

    Args:
        waveform (np.ndarray): Samples, shape ``(N,)``.
        centre (float): Centre position in samples.
        length (int): Window length in samples.

    Returns:
        np.ndarray: Shape ``(length,)``, same dtype as ``waveform``.
    """
    n = waveform.shape[0]
    centre = centre % n if n > 0 else 0.0
    start = int(round(centre - length / 2.0))
    if n >= length:
        start = min(max(start, 0), n - length)
        return waveform[start : start + length]
    return waveform[(start + np.arange(length)) % n]


def _check_std(std: float, where: str) -> float:
    if not std > 0:
        raise ValueError(f'audio std must be > 0, got {std} ({where})')
    return float(std)


def load_audio_stats(stats_file: str) -> tuple[float, float]:
    """Read ``audio_mean`` and ``audio_std`` from a data set's ``stats.json``.

    Raises:
        FileNotFoundError: Naming the file.
        KeyError: Naming the file and the missing key.
    """
    if not osp.isfile(stats_file):
        raise FileNotFoundError(f'audio statistics file not found: {stats_file}')
    with open(stats_file, encoding='utf-8') as f:
        stats = json.load(f)
    for key in ('audio_mean', 'audio_std'):
        if key not in stats:
            raise KeyError(f'{stats_file} has no {key!r}')
    return float(stats['audio_mean']), float(stats['audio_std'])


@TRANSFORMS.register_module()
class LoadAudioWindow(AVTransform):
    """Log-mel features of the audio around each sampled clip, normalised.

    For every clip picked by ``SampleFrames`` this takes the window of audio centred on the
    clip's centre that yields exactly ``num_frames`` filterbank frames (``num_frames = 256``:
    2.575 s at 16 kHz), looping a shorter track, computes the log-mel filterbank with
    :func:`avssl.datasets.audio_features.log_mel_fbank` and normalises it with the training
    split's mean and std.

    Required Keys:
        - audio_waveform
        - audio_sample_rate
        - frame_inds
        - num_clips
        - total_frames
        - avg_fps
        - data_root (when ``stats_file`` is relative)
    Added Keys:
        - audio: float32 ``(num_clips, 1, num_frames, num_mel_bins)``
        - audio_centres: clip centres in seconds, ``(num_clips,)``

    Args:
        num_frames (int): Filterbank frames per clip. Defaults to 256.
        num_mel_bins (int): Mel bins. Defaults to 128.
        frame_length_ms (float): Window length. Defaults to 25.
        frame_shift_ms (float): Hop. Defaults to 10.
        stats_file (str | None): ``stats.json`` with ``audio_mean`` / ``audio_std``: relative
            to the item's data set folder (default ``'stats.json'``), or absolute.
        mean (float | None): Mean, instead of ``stats_file``.
        std (float | None): Std, instead of ``stats_file``.
    """

    def __init__(
        self,
        num_frames: int = 256,
        num_mel_bins: int = 128,
        frame_length_ms: float = 25.0,
        frame_shift_ms: float = 10.0,
        stats_file: str | None = 'stats.json',
        mean: float | None = None,
        std: float | None = None,
    ) -> None:
        self.num_frames = num_frames
        self.num_mel_bins = num_mel_bins
        self.frame_length_ms = frame_length_ms
        self.frame_shift_ms = frame_shift_ms
        self.stats_file = None if (mean is not None or std is not None) else stats_file
        self._stats: dict[str, tuple[float, float]] = {}
        if self.stats_file is None:
            if mean is None or std is None:
                raise ValueError('LoadAudioWindow needs stats_file or both mean and std')
            self._fixed: tuple[float, float] | None = (float(mean), _check_std(std, 'std'))
        else:
            self._fixed = None
            if osp.isabs(self.stats_file):
                self._fixed = self._load(self.stats_file)

    @staticmethod
    def _load(path: str) -> tuple[float, float]:
        mean, std = load_audio_stats(path)
        return mean, _check_std(std, path)

    def stats_for(self, results: dict[str, Any]) -> tuple[float, float]:
        """``(mean, std)`` for this item: fixed, or from ``<data_root>/<stats_file>``.

        A relative ``stats_file`` is resolved against the item's data set folder
        (``results['data_root']``, set by :class:`VideoListDataset`), so one pipeline serves
        every data set. Files are read once per process.
        """
        if self._fixed is not None:
            return self._fixed
        assert self.stats_file is not None
        if 'data_root' not in results:
            raise KeyError(
                f'LoadAudioWindow: stats_file {self.stats_file!r} is relative to the data set '
                'folder, but the item has no data_root (use VideoListDataset, or give an '
                'absolute stats_file or mean/std)'
            )
        path = osp.join(results['data_root'], self.stats_file)
        if path not in self._stats:
            self._stats[path] = self._load(path)
        return self._stats[path]

    def window_samples(self, sample_rate: int) -> int:
        """Samples that give exactly ``num_frames`` filterbank frames at ``sample_rate``."""
        win = int(round(sample_rate * self.frame_length_ms / 1000.0))
        hop = int(round(sample_rate * self.frame_shift_ms / 1000.0))
        return win + (self.num_frames - 1) * hop

    def transform(self, results: dict[str, Any]) -> dict[str, Any]:
        """Add ``audio`` for the clips in ``results['frame_inds']``."""
        self.require(results, 'audio_waveform', 'frame_inds', 'num_clips', 'avg_fps')
        mean, std = self.stats_for(results)
        sr = int(results['audio_sample_rate'])
        waveform = results['audio_waveform']
        centres = clip_centres(results['frame_inds'], results['num_clips'], results['total_frames'])
        seconds = centres / float(results['avg_fps'])
        length = self.window_samples(sr)
        feats = []
        for t in seconds:
            wav = audio_window(waveform, t * sr, length)
            fbank = log_mel_fbank(
                wav, sr, self.num_mel_bins, self.frame_length_ms, self.frame_shift_ms
            ).numpy()
            feats.append((fbank - mean) / std)
        audio = np.stack(feats)[:, None].astype(np.float32)
        if audio.shape[2] != self.num_frames:  # pragma: no cover - guarded by window_samples
            raise RuntimeError(f'expected {self.num_frames} frames, got {audio.shape[2]}')
        results['audio'] = audio
        results['audio_centres'] = seconds
        return results

    def __repr__(self) -> str:
        return (
            f'{self.__class__.__name__}(num_frames={self.num_frames}, '
            f'num_mel_bins={self.num_mel_bins}, stats_file={self.stats_file!r})'
        )


@TRANSFORMS.register_module()
class LoadLocalizerAudio(AVTransform):
    """The raw audio the sound source localizer gets: ``duration`` s centred on each clip.

    Kept apart from the classifier's features (its own key, its own length, no
    normalisation, no augmentation): the localizer computes its own spectrogram.

    Required Keys:
        - audio_waveform
        - audio_sample_rate
        - frame_inds
        - num_clips
        - total_frames
        - avg_fps
    Added Keys:
        - ``key`` (default ``asl_audio``): float32 ``(num_clips, duration * sample_rate)``

    Args:
        duration (float): Seconds of audio. Defaults to 3.0.
        key (str): Output key. Defaults to ``'asl_audio'``.
    """

    def __init__(self, duration: float = 3.0, key: str = 'asl_audio') -> None:
        if duration <= 0:
            raise ValueError(f'duration must be > 0, got {duration}')
        self.duration = duration
        self.key = key

    def transform(self, results: dict[str, Any]) -> dict[str, Any]:
        """Add the localizer's waveform under ``self.key``."""
        self.require(results, 'audio_waveform', 'frame_inds', 'num_clips', 'avg_fps')
        sr = int(results['audio_sample_rate'])
        centres = clip_centres(results['frame_inds'], results['num_clips'], results['total_frames'])
        length = int(round(self.duration * sr))
        windows = [
            audio_window(results['audio_waveform'], c / float(results['avg_fps']) * sr, length)
            for c in centres
        ]
        results[self.key] = np.stack(windows).astype(np.float32)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(duration={self.duration}, key={self.key!r})'
