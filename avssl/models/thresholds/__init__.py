"""Thresholds: which teacher pseudo-labels count (Fixed, FlexMatch, FreeMatch, Percentile)."""

from .base_threshold import BaseThreshold
from .fixed_threshold import FixedThreshold
from .flexmatch_threshold import FlexMatchThreshold
from .freematch_threshold import FreeMatchThreshold
from .percentile_threshold import PercentileThreshold

__all__ = [
    'BaseThreshold',
    'FixedThreshold',
    'FlexMatchThreshold',
    'FreeMatchThreshold',
    'PercentileThreshold',
]
