"""Pseudo-label post-processing between the teacher and the losses (alignment, gating)."""

from .distribution_alignment import DistributionAlignment
from .modality_gate import ModalityGate

__all__ = ['DistributionAlignment', 'ModalityGate']
