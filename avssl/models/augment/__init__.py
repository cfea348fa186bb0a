"""Batch augmentations applied inside the model (one draw per batch, as SVFormer does)."""

from .temporal_warp import TemporalWarp

__all__ = ['TemporalWarp']
