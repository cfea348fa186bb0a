"""Mixers: token-mix modules called between the video backbone's ``embed`` and ``encode``."""

from .asl_guided_mix import ASLGuidedMix, average_adjacent_frames, normalize_maps
from .base_mix import BaseTokenMix, MixOutput
from .mix_ops import mix_targets, mix_tokens, mix_weights
from .rng import ModuleGenerator, SeededModule
from .sampling import sample_beta, sample_gamma
from .tube_token_mix import TubeTokenMix

__all__ = [
    'ASLGuidedMix',
    'average_adjacent_frames',
    'normalize_maps',
    'BaseTokenMix',
    'MixOutput',
    'ModuleGenerator',
    'SeededModule',
    'TubeTokenMix',
    'mix_targets',
    'mix_tokens',
    'mix_weights',
    'sample_beta',
    'sample_gamma',
]
