"""Training loops."""

from .index_skip_train_loop import IndexSkipIterBasedTrainLoop, SkipFirstSampler

__all__ = ['IndexSkipIterBasedTrainLoop', 'SkipFirstSampler']
