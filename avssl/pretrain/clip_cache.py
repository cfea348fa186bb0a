"""Decode the clips of a list file once into frame and log-mel arrays (for pretraining)."""

from __future__ import annotations

import os.path as osp
from dataclasses import dataclass

import decord
import numpy as np

from avssl.datasets.audio_features import log_mel_fbank
from avssl.datasets.media_errors import VideoDecodeError
from avssl.datasets.transforms.audio_window import audio_window, load_audio_stats
from avssl.datasets.transforms.av_decord import read_audio_track


@dataclass
class ClipCache:
    """Decoded clips of one split.

    Attributes:
        frames (np.ndarray): ``(N, K, H, W, 3)`` uint8 RGB, K frames evenly spread over a clip.
        audio (np.ndarray): ``(N, A, T, F)`` float16 normalised log-mel windows, A windows
            evenly spread over a clip.
        labels (np.ndarray): ``(N,)`` int64 class labels of the list file.
    """

    frames: np.ndarray
    audio: np.ndarray
    labels: np.ndarray

    def __len__(self) -> int:
        return int(self.labels.shape[0])


def read_list(data_root: str, list_file: str) -> list[tuple[str, int]]:
    """Read ``"<relative path> <label>"`` lines of a list file.

    Args:
        data_root (str): The data set folder.
        list_file (str): The list, relative to ``data_root``.

    Returns:
        list[tuple[str, int]]: Absolute video paths and labels.

    Raises:
        FileNotFoundError: If the list does not exist.
        ValueError: If it is empty or a line is malformed (names the file and line).
    """
    path = osp.join(data_root, list_file)
    if not osp.isfile(path):
        raise FileNotFoundError(f'list file not found: {path}')
    items = []
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 2 or not parts[1].lstrip('-').isdigit():
                raise ValueError(f'{path}:{number}: expected "<video> <label>", got {line!r}')
            items.append((osp.join(data_root, parts[0]), int(parts[1])))
    if not items:
        raise ValueError(f'{path} lists no clip')
    return items


def build_clip_cache(
    data_root: str,
    list_file: str,
    frames_per_clip: int = 8,
    audio_windows: int = 3,
    audio_frames: int = 256,
    num_mel_bins: int = 128,
    sample_rate: int = 16000,
) -> ClipCache:
    """Decode every clip of ``list_file``: frames with decord, audio as the classifier sees it.

    The audio windows are computed exactly as ``LoadAudioWindow`` does (same filterbank,
    ``audio_frames`` frames centred on evenly spread times, normalised with the set's
    ``stats.json``).

    Args:
        data_root (str): The data set folder (holds ``stats.json`` and the list).
        list_file (str): List file relative to ``data_root``.
        frames_per_clip (int): Frames K kept per clip. Defaults to 8.
        audio_windows (int): Log-mel windows A per clip. Defaults to 3.
        audio_frames (int): Filterbank frames per window. Defaults to 256.
        num_mel_bins (int): Mel bins. Defaults to 128.
        sample_rate (int): Audio sample rate in Hz. Defaults to 16000.

    Returns:
        ClipCache: The decoded split.

    Raises:
        VideoDecodeError: If a video cannot be read (names the file).
    """
    mean, std = load_audio_stats(osp.join(data_root, 'stats.json'))
    window = int(round(sample_rate * 0.025)) + (audio_frames - 1) * int(round(sample_rate * 0.01))
    frames, audio, labels = [], [], []
    for path, label in read_list(data_root, list_file):
        try:
            reader = decord.VideoReader(path, num_threads=1)
            total = len(reader)
            inds = np.linspace(0, total - 1, frames_per_clip).round().astype(np.int64)
            frames.append(reader.get_batch(list(inds)).asnumpy())
        except decord.DECORDError as exc:
            raise VideoDecodeError(f'cannot decode the frames of {path}: {exc}') from None
        wav = read_audio_track(path, sample_rate)
        centres = (np.arange(audio_windows) + 0.5) / audio_windows * wav.shape[0]
        feats = [
            (log_mel_fbank(audio_window(wav, c, window), sample_rate, num_mel_bins).numpy() - mean)
            / std
            for c in centres
        ]
        audio.append(np.stack(feats).astype(np.float16))
        labels.append(label)
    return ClipCache(
        frames=np.stack(frames), audio=np.stack(audio), labels=np.asarray(labels, np.int64)
    )
