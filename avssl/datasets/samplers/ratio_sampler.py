"""An infinite sampler that fills every batch from several sources in a fixed ratio."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import accumulate, islice

import numpy as np
from mmengine.dataset import ConcatDataset
from mmengine.dist import get_dist_info, sync_random_seed
from torch.utils.data import Sampler

from avssl.registry import DATA_SAMPLERS


@DATA_SAMPLERS.register_module()
class RatioSampler(Sampler[int]):
    """Infinite sampler over a ``ConcatDataset`` with a fixed number of items per source.

    Every batch holds exactly ``batch_size * source_ratio[i] / sum(source_ratio)`` items of
    source ``i`` (for ``ConcatDataset([labeled, unlabeled])`` and the default ratio ``(1, 5)``,
    1 labeled and 5 unlabeled clips in a batch of 6), source 0's items first. The indices are
    global indices into the ``ConcatDataset``, yielded ``batch_size`` at a time, so the
    dataloader's consecutive chunks of ``batch_size`` (its ``batch_size`` must be the same) are
    the batches. The sampler never ends; use it with ``IterBasedTrainLoop``.

    Each source is an endless stream of its own items: a (seeded) permutation of the source,
    drawn again each time the source is exhausted, with a random generator of its own, so a
    small labeled set cycles many times, each item once per cycle, while a large unlabeled set
    is traversed once, and neither depends on the other's length. The streams depend only on
    ``seed``, so the stream of batches is the same on every run with the same seed (and a
    resumed ``IterBasedTrainLoop``, which skips the batches already trained, continues it).

    Distributed training: every process builds the same *global* stream of batches (batch
    ``k`` takes the next items of every source stream) and process ``rank`` of ``world_size``
    keeps the global batches ``k`` with ``k % world_size == rank``. Processes thus get
    different batches with the same composition, and together, step by step, they consume
    exactly the batches that one process would have drawn alone (with the same per-process
    ``batch_size``); within one pass over a source no item is given to two processes.

    Args:
        dataset (ConcatDataset): The sources, concatenated (e.g. ``[labeled, unlabeled]``).
        batch_size (int): Items per batch per process; must equal the dataloader's
            ``batch_size``.
        source_ratio (Sequence[int]): Relative share of each source in a batch, one
            non-negative integer per source of ``dataset``. Defaults to ``(1, 5)``.
        shuffle (bool): Draw each pass over a source in random order; if False, every pass
            goes through the source in order. Defaults to True.
        seed (int | None): Seed of the permutations; the same on every process. None draws one
            on rank 0 and broadcasts it (:func:`mmengine.dist.sync_random_seed`). Defaults to
            None.
        rank (int | None): This process's rank; None takes it from
            :func:`mmengine.dist.get_dist_info`. Defaults to None.
        world_size (int | None): Number of processes; None takes it from
            :func:`mmengine.dist.get_dist_info`. Defaults to None.

    Raises:
        TypeError: If ``dataset`` is not a ``ConcatDataset``.
        ValueError: If the ratio does not match the sources, is negative or all zero, does not
            divide ``batch_size`` into whole numbers of items, asks for items of an empty
            source, or if ``rank`` / ``world_size`` are inconsistent.
    """

    def __init__(
        self,
        dataset: ConcatDataset,
        batch_size: int,
        source_ratio: Sequence[int] = (1, 5),
        shuffle: bool = True,
        seed: int | None = None,
        rank: int | None = None,
        world_size: int | None = None,
    ) -> None:
        if not isinstance(dataset, ConcatDataset):
            raise TypeError(
                f'RatioSampler needs an mmengine ConcatDataset of the sources, got '
                f'{type(dataset).__name__}'
            )
        ratio = [int(r) for r in source_ratio]
        if len(ratio) != len(dataset.datasets):
            raise ValueError(
                f'source_ratio={tuple(ratio)} has {len(ratio)} entries but the ConcatDataset has '
                f'{len(dataset.datasets)} sources'
            )
        if any(r < 0 for r in ratio) or sum(ratio) == 0:
            raise ValueError(f'source_ratio={tuple(ratio)} must be non-negative and not all zero')
        if batch_size <= 0 or any(batch_size * r % sum(ratio) for r in ratio):
            raise ValueError(
                f'batch_size={batch_size} cannot be split in the ratio '
                f'source_ratio={tuple(ratio)}: batch_size * r / {sum(ratio)} must be a whole '
                f'number for every r (e.g. a multiple of {sum(ratio)})'
            )
        self.dataset = dataset
        self.batch_size = batch_size
        self.source_ratio = tuple(ratio)
        self.shuffle = shuffle
        self.source_sizes = [len(d) for d in dataset.datasets]
        self.source_offsets = [0, *accumulate(self.source_sizes)][:-1]
        self.num_per_source = [batch_size * r // sum(ratio) for r in ratio]
        for i, (size, num) in enumerate(zip(self.source_sizes, self.num_per_source, strict=True)):
            if num and not size:
                raise ValueError(f'source {i} of the ConcatDataset is empty but is asked for {num}')

        dist_rank, dist_world_size = get_dist_info()
        self.rank = dist_rank if rank is None else rank
        self.world_size = dist_world_size if world_size is None else world_size
        if not 0 <= self.rank < self.world_size:
            raise ValueError(f'rank={self.rank} is not in [0, world_size={self.world_size})')
        self.seed = sync_random_seed() if seed is None else seed

    def _source_stream(self, source: int) -> Iterator[int]:
        """Endless global indices of one source, one (reshuffled) pass after another."""
        size, offset = self.source_sizes[source], self.source_offsets[source]
        # The seed sequence mixes (seed, source): no two sources or seeds share a stream.
        rng = np.random.default_rng([self.seed % 2**63, source])
        while True:
            order = rng.permutation(size) if self.shuffle else np.arange(size)
            yield from (offset + int(i) for i in order)

    def global_batches(self) -> Iterator[list[int]]:
        """Yield the batches of all processes, in order.

        Returns:
            Iterator[list[int]]: Global batch ``k`` (``batch_size`` global indices, source 0's
            first); process ``rank`` gets the batches with ``k % world_size == rank``.
        """
        streams = [self._source_stream(i) for i in range(len(self.source_sizes))]
        while True:
            batch: list[int] = []
            for stream, num in zip(streams, self.num_per_source, strict=True):
                batch.extend(islice(stream, num))
            yield batch

    def __iter__(self) -> Iterator[int]:
        """Yield this process's indices, ``batch_size`` per batch, without end."""
        for k, batch in enumerate(self.global_batches()):
            if k % self.world_size == self.rank:
                yield from batch

    def __len__(self) -> int:
        """Size of the concatenated data set (the sampler itself is infinite)."""
        return sum(self.source_sizes)

    def set_epoch(self, epoch: int) -> None:
        """Accepted for mmengine's loops and ignored: the streams do not depend on epochs.

        Args:
            epoch (int): Epoch number.
        """
