"""An iteration-based training loop that resumes by skipping sampler indices, not batches."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from typing import Any

from mmengine.dataset import InfiniteSampler
from mmengine.logging import print_log
from mmengine.runner.loops import IterBasedTrainLoop, _InfiniteDataloaderIterator
from torch.utils.data import Sampler

from avssl.datasets.samplers import RatioSampler
from avssl.registry import LOOPS


class SkipFirstSampler(Sampler[int]):
    """Wrap a sampler so that its stream starts ``skip`` indices later.

    Only the indices are generated for the skipped part; no sample is loaded.

    Args:
        sampler (Sampler): The wrapped sampler (its ``__iter__`` is called once per pass).
        skip (int): Number of leading indices to drop, ``>= 0``.
    """

    def __init__(self, sampler: Sampler, skip: int) -> None:
        if skip < 0:
            raise ValueError(f'skip must be >= 0, got {skip}')
        self.sampler = sampler
        self.skip = skip

    def __iter__(self) -> Iterator[int]:
        return itertools.islice(iter(self.sampler), self.skip, None)

    def __len__(self) -> int:
        return len(self.sampler)  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> Any:
        # set_epoch, seed, ... of the wrapped sampler
        if name in ('sampler', 'skip'):
            raise AttributeError(name)
        return getattr(self.sampler, name)


class _ReplayFreeIterator:
    """Answer the first ``calls`` ``next()`` calls with ``None``, then delegate."""

    def __init__(self, iterator: Iterator, calls: int) -> None:
        self._iterator = iterator
        self._calls = calls

    def __iter__(self) -> _ReplayFreeIterator:
        return self

    def __next__(self) -> Any:
        if self._calls > 0:
            self._calls -= 1
            return None
        return next(self._iterator)


@LOOPS.register_module()
class IndexSkipIterBasedTrainLoop(IterBasedTrainLoop):
    """``IterBasedTrainLoop`` whose resume skips the trained batches' indices, not the batches.

    mmengine's loop resumes by drawing every batch already trained from the data loader (so the
    data order and the workers' augmentation draws match an uninterrupted run exactly), which
    decodes all those videos again: resuming at iteration 10,000 reads 10,000 batches before
    the first new step. This loop instead starts the sampler ``iter x batch_size`` indices into
    its stream, which costs only generating the indices. The order of the samples is the same
    as without the interruption; the random augmentations drawn inside the data-loader workers
    are not (the workers restart their random streams), so a resumed run is not bit-identical
    to an uninterrupted one. Use mmengine's ``IterBasedTrainLoop`` (the default) where that
    matters (``tests/engine`` checks resume exactness with it).

    Skips indices for the infinite samplers of iteration-based training, mmengine's
    ``InfiniteSampler`` and avssl's ``RatioSampler`` (one flat stream of per-process indices,
    ``batch_size`` per batch); with any other sampler, or a data loader built from a custom
    ``batch_sampler``, it replays the batches as mmengine does, with a warning.

    Args:
        runner: The runner.
        dataloader: The training data loader or its config.
        max_iters (int): Total training iterations.
        val_begin (int): First iteration of validation. Defaults to 1.
        val_interval (int): Validation interval. Defaults to 1000.
        dynamic_intervals: See ``IterBasedTrainLoop``. Defaults to None.
    """

    def run(self) -> Any:
        """Skip the trained indices on resume, then train as ``IterBasedTrainLoop`` does."""
        if self._iter > 0 and self._skip_indices(self._iter):
            # The parent replays `self._iter` batches before its first step; those calls
            # now return at once, and the first real batch is the first one not yet trained.
            self.dataloader_iterator = _ReplayFreeIterator(self.dataloader_iterator, self._iter)
        return super().run()

    def _skip_indices(self, iters: int) -> bool:
        batch_sampler = getattr(self.dataloader, 'batch_sampler', None)
        sampler = getattr(batch_sampler, 'sampler', None)
        batch_size = getattr(batch_sampler, 'batch_size', None)
        if not isinstance(sampler, InfiniteSampler | RatioSampler) or batch_size is None:
            print_log(
                'IndexSkipIterBasedTrainLoop skips indices only for an InfiniteSampler or a '
                f'RatioSampler under a batch size, not for {type(sampler).__name__}; '
                'replaying the trained batches instead',
                logger='current',
                level=logging.WARNING,
            )
            return False
        if isinstance(sampler, InfiniteSampler):
            # Its index stream is one generator, which the iterator built at construction has
            # already drawn from (worker prefetch): restart it from its seed.
            sampler.indices = sampler._indices_of_rank()
        # (RatioSampler restarts its seeded streams at every iter().)
        skip = iters * batch_size
        batch_sampler.sampler = SkipFirstSampler(sampler, skip)
        # a fresh iterator (or, with persistent workers, a reset one) reads the wrapped sampler
        self.dataloader_iterator = _InfiniteDataloaderIterator(self.dataloader)
        print_log(
            f'Resuming at iteration {iters}: skipped {skip} sampler indices ({iters} batches '
            'of this process) without loading them',
            logger='current',
        )
        return True
