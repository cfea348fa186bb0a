"""Data sets, samplers, transforms and data-set file helpers."""

from .audio_features import log_mel_fbank
from .list_file_dataset import DatasetFileError, VideoListDataset, read_class_names
from .synthav_dataset import SynthAVDataset

__all__ = [
    'DatasetFileError',
    'SynthAVDataset',
    'VideoListDataset',
    'log_mel_fbank',
    'read_class_names',
]
