"""Mixers: token-mix modules called between the video backbone's ``embed`` and ``encode``."""

from .base_mix import BaseTokenMix, MixOutput
from .tube_token_mix import TubeTokenMix
from .utils import ModuleGenerator, mix_targets, mix_tokens, mix_weights, sample_beta

__all__ = [
    'BaseTokenMix',
    'MixOutput',
    'ModuleGenerator',
    'TubeTokenMix',
    'mix_targets',
    'mix_tokens',
    'mix_weights',
    'sample_beta',
]
