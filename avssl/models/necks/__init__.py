"""Necks: fusion of the video and audio embeddings."""

from .concat_fusion import ConcatFusion
from .transformer_fusion import TransformerFusion

__all__ = ['ConcatFusion', 'TransformerFusion']
