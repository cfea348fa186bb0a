"""Data samplers (registered in ``avssl.registry.DATA_SAMPLERS``)."""

from .ratio_sampler import RatioSampler

__all__ = ['RatioSampler']
