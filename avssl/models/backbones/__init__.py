"""Backbones: the audio transformer (and helpers to initialise ViTs from image checkpoints)."""

from .audio_transformer import AudioTransformer

__all__ = ['AudioTransformer']
