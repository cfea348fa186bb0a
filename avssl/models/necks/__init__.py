"""Necks: fusion of the video and audio embeddings."""

from .concat_fusion import ConcatFusion

__all__ = ['ConcatFusion']
