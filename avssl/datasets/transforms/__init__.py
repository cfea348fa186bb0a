"""Data transforms (registered in ``avssl.registry.TRANSFORMS``)."""

from .audio_window import LoadAudioWindow, LoadLocalizerAudio, audio_window, clip_centres
from .av_decord import AVDecordDecode, AVDecordInit, read_audio_track
from .clip_rand_augment import ClipRandAugment
from .multi_branch import MultiBranch, multi_branch_collate
from .pack_av_inputs import PackAVInputs
from .sounding_box import LoadSoundingBox, read_boxes_file
from .spec_augment import SpecAugment

__all__ = [
    'AVDecordDecode',
    'AVDecordInit',
    'ClipRandAugment',
    'LoadAudioWindow',
    'LoadLocalizerAudio',
    'LoadSoundingBox',
    'MultiBranch',
    'PackAVInputs',
    'SpecAugment',
    'audio_window',
    'clip_centres',
    'multi_branch_collate',
    'read_audio_track',
    'read_boxes_file',
]
