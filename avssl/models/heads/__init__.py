"""Heads that avssl adds to mmaction2's (the class heads themselves are mmaction2's)."""

from .cosine_head import CosineHead
from .unimodal_aux_head import UnimodalAuxHead

__all__ = ['CosineHead', 'UnimodalAuxHead']
