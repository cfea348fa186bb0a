"""Errors raised when a video file cannot give what a pipeline needs. Each names the file."""

from __future__ import annotations


class MediaError(RuntimeError):
    """Base class: a media file is unreadable or lacks a stream."""


class VideoDecodeError(MediaError):
    """The file cannot be opened as a video or has no decodable frame."""


class MissingAudioError(MediaError):
    """The file has no audio stream (audio-visual data sets need one in every clip)."""


class AudioDecodeError(MediaError):
    """The audio stream cannot be decoded, is empty or decodes to non-finite samples."""
