"""Open a video file once for its frames and its audio track, with errors that name the file."""

from __future__ import annotations

from typing import Any

import decord
import numpy as np
from mmaction.datasets.transforms import DecordDecode
from mmcv.transforms import BaseTransform

from avssl.registry import TRANSFORMS

from ..media_errors import AudioDecodeError, MissingAudioError, VideoDecodeError


def read_audio_track(filename: str, sample_rate: int = 16000) -> np.ndarray:
    """Decode a file's whole audio track as mono float32 at ``sample_rate`` (decord).

    decord resamples with FFmpeg and downmixes every channel layout to mono. (Its multi-channel
    output, ``mono=False``, can contain NaNs, which is why only the mono path is used.)

    Args:
        filename (str): Video (or audio) file.
        sample_rate (int): Target sample rate in Hz. Defaults to 16000.

    Returns:
        np.ndarray: Samples, shape ``(N,)``, float32.

    Raises:
        MissingAudioError: The file has no audio stream.
        AudioDecodeError: The stream cannot be decoded, is empty or has non-finite samples.
    """
    try:
        reader = decord.AudioReader(filename, sample_rate=sample_rate, mono=True)
        samples = reader[:].asnumpy()
    except decord.DECORDError as exc:
        if "Can't find audio stream" in str(exc):
            raise MissingAudioError(f'no audio stream in {filename}') from None
        raise AudioDecodeError(f'cannot decode the audio of {filename}: {exc}') from None
    samples = np.asarray(samples, dtype=np.float32).reshape(-1)
    if samples.size == 0:
        raise AudioDecodeError(f'the audio stream of {filename} decodes to no samples')
    if not np.isfinite(samples).all():
        raise AudioDecodeError(f'the audio of {filename} decodes to non-finite samples')
    return samples


@TRANSFORMS.register_module()
class AVDecordInit(BaseTransform):
    """Open a video with decord and, optionally, decode its audio track.

    Replaces mmaction2's ``DecordInit`` for audio-visual data: it reads the file by path (so
    decoding errors name it), refuses files without a decodable frame, and loads the audio
    of the same file, resampled to ``sample_rate`` and downmixed to mono. A file without an
    audio stream is an error when ``with_audio`` is set: no silent zero audio.

    Required Keys:
        - filename
    Added Keys:
        - video_reader (when ``with_video``)
        - total_frames
        - avg_fps
        - audio_waveform (when ``with_audio``): float32 ``(N,)``
        - audio_sample_rate (when ``with_audio``)
        - duration: seconds, from the frame count and frame rate (or the audio when
          ``with_video`` is off)

    Args:
        with_video (bool): Open the video stream. Defaults to True.
        with_audio (bool): Decode the audio track. Defaults to True.
        sample_rate (int): Audio sample rate in Hz. Defaults to 16000.
        num_threads (int): decord decoding threads. Defaults to 1.
        default_fps (float): Frame rate assumed for audio-only loading, used to express clip
            positions in frames. Defaults to 30.
    """

    def __init__(
        self,
        with_video: bool = True,
        with_audio: bool = True,
        sample_rate: int = 16000,
        num_threads: int = 1,
        default_fps: float = 30.0,
    ) -> None:
        if not (with_video or with_audio):
            raise ValueError('AVDecordInit needs with_video or with_audio')
        self.with_video = with_video
        self.with_audio = with_audio
        self.sample_rate = sample_rate
        self.num_threads = num_threads
        self.default_fps = default_fps

    def transform(self, results: dict[str, Any]) -> dict[str, Any]:
        """Open the file named by ``results['filename']``."""
        filename = results['filename']
        if self.with_video:
            try:
                reader = decord.VideoReader(filename, num_threads=self.num_threads)
            except (RuntimeError, decord.DECORDError) as exc:
                raise VideoDecodeError(f'cannot open {filename} as a video: {exc}') from None
            total = len(reader)
            if total <= 0:
                raise VideoDecodeError(f'{filename} has no decodable frame')
            fps = float(reader.get_avg_fps())
            if not np.isfinite(fps) or fps <= 0:
                raise VideoDecodeError(f'{filename} reports an invalid frame rate {fps}')
            results['video_reader'] = reader
            results['total_frames'] = total
            results['avg_fps'] = fps
            results['duration'] = total / fps
        if self.with_audio:
            waveform = read_audio_track(filename, self.sample_rate)
            results['audio_waveform'] = waveform
            results['audio_sample_rate'] = self.sample_rate
            if not self.with_video:
                # Audio-only: express time in frames of a nominal rate so SampleFrames works.
                duration = waveform.size / self.sample_rate
                results['avg_fps'] = self.default_fps
                results['total_frames'] = max(1, int(round(duration * self.default_fps)))
                results['duration'] = duration
        return results

    def __repr__(self) -> str:
        return (
            f'{self.__class__.__name__}(with_video={self.with_video}, '
            f'with_audio={self.with_audio}, sample_rate={self.sample_rate})'
        )


@TRANSFORMS.register_module()
class AVDecordDecode(DecordDecode):
    """mmaction2's ``DecordDecode`` with decoding errors that name the file.

    Required Keys:
        - video_reader
        - frame_inds
        - filename
    Added Keys:
        - imgs
        - original_shape
        - img_shape

    Args:
        mode (str): ``'accurate'`` or ``'efficient'``, as in mmaction2. Defaults to
            ``'accurate'``.
    """

    def transform(self, results: dict[str, Any]) -> dict[str, Any]:
        """Decode the frames at ``results['frame_inds']``."""
        try:
            return super().transform(results)
        except (RuntimeError, decord.DECORDError, IndexError) as exc:
            raise VideoDecodeError(
                f'cannot decode frames {np.asarray(results["frame_inds"]).tolist()[:8]}... of '
                f'{results.get("filename", "<unknown file>")}: {exc}'
            ) from None
