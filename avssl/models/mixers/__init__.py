"""Mixers: token-mix modules called between the video backbone's ``embed`` and ``encode``."""

from .asl_guided_mix import ASLGuidedMix, average_adjacent_frames, normalize_maps
from .base_mix import BaseTokenMix, MixOutput
from .tube_token_mix import TubeTokenMix
from .utils import ModuleGenerator, mix_targets, mix_tokens, mix_weights, sample_beta

__all__ = [
    'ASLGuidedMix',
    'average_adjacent_frames',
    'normalize_maps',
    'BaseTokenMix',
    'MixOutput',
    'ModuleGenerator',
    'TubeTokenMix',
    'mix_targets',
    'mix_tokens',
    'mix_weights',
    'sample_beta',
]
