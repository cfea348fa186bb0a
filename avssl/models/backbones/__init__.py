"""Backbones: the audio transformer (and helpers to initialise ViTs from image checkpoints)."""

from .audio_transformer import AudioTransformer
from .mixable_timesformer import MixableTimeSformer

__all__ = ['AudioTransformer', 'MixableTimeSformer']
