"""Data sets, samplers, transforms and data-set file helpers."""

from . import samplers, transforms  # noqa: F401  (register the samplers and transforms)
from .audio_features import log_mel_fbank
from .list_file_dataset import DatasetFileError, VideoListDataset, read_class_names
from .media_errors import AudioDecodeError, MediaError, MissingAudioError, VideoDecodeError
from .semi_dataset import SemiDataset
from .synthav_dataset import SynthAVDataset

__all__ = [
    'AudioDecodeError',
    'DatasetFileError',
    'MediaError',
    'MissingAudioError',
    'VideoDecodeError',
    'SemiDataset',
    'SynthAVDataset',
    'VideoListDataset',
    'log_mel_fbank',
    'read_class_names',
]
