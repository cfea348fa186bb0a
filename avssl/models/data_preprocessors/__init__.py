"""Data preprocessors (registered in ``avssl.registry.MODELS``)."""

from .av_data_preprocessor import AVDataPreprocessor
from .multi_branch_data_preprocessor import MultiBranchDataPreprocessor

__all__ = ['AVDataPreprocessor', 'MultiBranchDataPreprocessor']
