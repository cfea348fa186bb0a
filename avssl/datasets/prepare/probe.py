"""Probe one media file: does it open, give a video frame, and carry an audio stream?"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Any

import av

#: Probe outcomes. Only ``ok`` clips go into an audio-visual data set.
STATUS_OK = 'ok'
STATUS_NO_AUDIO = 'no_audio'
STATUS_UNREADABLE = 'unreadable'
STATUS_MISSING = 'missing'
STATUSES = (STATUS_OK, STATUS_NO_AUDIO, STATUS_UNREADABLE, STATUS_MISSING)

#: Packets demuxed at most while looking for a first video and a first audio frame.
MAX_PACKETS = 2000


@dataclass
class ProbeResult:
    """What :func:`probe_media` found in a file.

    Attributes:
        status (str): ``'ok'`` (a decodable video frame and an audio frame), ``'no_audio'`` (a
            readable video without an audio stream), ``'unreadable'`` (cannot be opened or
            decoded; see ``error``) or ``'missing'`` (no such file).
        error (str): Why the file is unreadable (exception type and message), else ``''``.
        duration (float | None): Container duration in seconds, when known.
        fps (float | None): Average frame rate of the video stream, when known.
        width (int | None): Frame width in pixels.
        height (int | None): Frame height in pixels.
        audio_sample_rate (int | None): Sample rate of the first audio stream.
        audio_channels (int | None): Channels of the first audio stream.
    """

    status: str
    error: str = ''
    duration: float | None = None
    fps: float | None = None
    width: int | None = None
    height: int | None = None
    audio_sample_rate: int | None = None
    audio_channels: int | None = None

    @property
    def drop_reason(self) -> str | None:
        """The reason a data set leaves the clip out, or None for a usable clip.

        Returns:
            str | None: ``None``, ``'no_audio'``, ``'missing'`` or ``'unreadable: <error>'``.
        """
        if self.status == STATUS_OK:
            return None
        if self.status == STATUS_UNREADABLE:
            return f'unreadable: {self.error}'
        return self.status

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-friendly dict (for the probe cache)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProbeResult:
        """Rebuild a result written by :meth:`to_dict`.

        Raises:
            ValueError: If ``status`` is not one of :data:`STATUSES`.
        """
        if data.get('status') not in STATUSES:
            raise ValueError(f'unknown probe status {data.get("status")!r}')
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def _first_frames(container: av.container.InputContainer, want_audio: bool) -> tuple[bool, bool]:
    """Decode until a video frame (and an audio frame if wanted) came out; returns both flags."""
    streams = [container.streams.video[0]]
    if want_audio:
        streams.append(container.streams.audio[0])
    got_video = got_audio = False
    for count, packet in enumerate(container.demux(*streams)):
        if count >= MAX_PACKETS:
            break
        for frame in packet.decode():
            if isinstance(frame, av.VideoFrame):
                got_video = True
            elif isinstance(frame, av.AudioFrame):
                got_audio = True
        if got_video and (got_audio or not want_audio):
            return got_video, got_audio
    # A very short stream may sit in the decoder's buffer: flush what is still missing.
    if not got_video:
        got_video = _flush(streams[0])
    if want_audio and not got_audio:
        got_audio = _flush(streams[1])
    return got_video, got_audio


def _flush(stream: av.stream.Stream) -> bool:
    """Whether flushing the stream's decoder gives a frame (False if it was flushed already)."""
    try:
        return bool(stream.codec_context.decode(None))
    except (av.error.EOFError, ValueError):
        return False


def probe_media(path: str | os.PathLike[str]) -> ProbeResult:
    """Open ``path`` with PyAV and check for a decodable video frame and an audio stream.

    The file is read only as far as the first video frame and the first audio frame, so a
    probe costs a few milliseconds. It never raises: a file that cannot be opened or decoded
    comes back as ``'unreadable'`` with the error text.

    Args:
        path (str | os.PathLike[str]): Media file.

    Returns:
        ProbeResult: The outcome and the stream properties that were found.
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        return ProbeResult(status=STATUS_MISSING)
    try:
        with av.open(path, mode='r') as container:
            if not container.streams.video:
                return ProbeResult(status=STATUS_UNREADABLE, error='no video stream')
            video = container.streams.video[0]
            audio = container.streams.audio[0] if container.streams.audio else None
            result = ProbeResult(
                status=STATUS_OK,
                duration=(container.duration / av.time_base) if container.duration else None,
                fps=float(video.average_rate) if video.average_rate else None,
                width=video.codec_context.width or None,
                height=video.codec_context.height or None,
            )
            if audio is not None:
                result.audio_sample_rate = audio.codec_context.sample_rate or None
                result.audio_channels = audio.codec_context.channels or None
            got_video, got_audio = _first_frames(container, want_audio=audio is not None)
    except Exception as exc:  # every failure is a reported outcome, never a crash
        return ProbeResult(status=STATUS_UNREADABLE, error=f'{type(exc).__name__}: {exc}')
    if not got_video:
        result.status, result.error = STATUS_UNREADABLE, 'no decodable video frame'
    elif audio is None:
        result.status = STATUS_NO_AUDIO
    elif not got_audio:
        result.status, result.error = STATUS_UNREADABLE, 'no decodable audio frame'
    return result
