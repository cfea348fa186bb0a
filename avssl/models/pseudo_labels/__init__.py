"""Pseudo-label post-processing between the teacher and the losses (distribution alignment)."""

from .distribution_alignment import DistributionAlignment

__all__ = ['DistributionAlignment']
