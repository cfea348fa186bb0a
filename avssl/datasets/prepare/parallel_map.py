"""Map a function over many files in worker processes, in order, with a progress bar."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

import torch
from tqdm import tqdm

T = TypeVar('T')
R = TypeVar('R')


def _single_thread() -> None:
    # The workers already fill the cores; one intra-op thread each also keeps per-file float
    # results independent of how the files are spread over the processes.
    torch.set_num_threads(1)


def _mapped(fn: Callable[[T], R], items: Sequence[T], workers: int) -> Iterator[R]:
    if workers <= 1 or len(items) <= 1:
        threads = torch.get_num_threads()
        _single_thread()
        try:
            yield from map(fn, items)
        finally:
            torch.set_num_threads(threads)
        return
    method = 'fork' if 'fork' in mp.get_all_start_methods() else 'spawn'
    chunksize = max(1, min(64, len(items) // (workers * 8)))
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=mp.get_context(method), initializer=_single_thread
    ) as pool:
        yield from pool.map(fn, items, chunksize=chunksize)


def parallel_imap(
    fn: Callable[[T], R],
    items: Sequence[T],
    workers: int = 1,
    desc: str = '',
    progress: bool = True,
) -> Iterator[R]:
    """Yield ``fn(x)`` for every ``x`` in ``items``, computed by ``workers`` processes, in order.

    The progress bar is tqdm's (a runtime dependency of avssl), written to stderr.

    Args:
        fn (Callable): A module-level (picklable) function of one item; it should not raise
            (a raised exception stops the whole map).
        items (Sequence): The inputs.
        workers (int): Worker processes; ``<= 1`` runs in this process. Defaults to 1.
        desc (str): Label of the progress bar. Defaults to ''.
        progress (bool): Show the progress bar. Defaults to True.

    Yields:
        ``fn`` of each item, in the order of ``items``.
    """
    with tqdm(total=len(items), desc=desc, unit='file', disable=not progress or not items) as bar:
        for result in _mapped(fn, items, workers):
            bar.update(1)
            yield result


def parallel_map(
    fn: Callable[[T], R],
    items: Sequence[T],
    workers: int = 1,
    desc: str = '',
    progress: bool = True,
) -> list[R]:
    """``[fn(x) for x in items]`` computed by :func:`parallel_imap`.

    Args:
        fn (Callable): A module-level (picklable) function of one item.
        items (Sequence): The inputs.
        workers (int): Worker processes; ``<= 1`` runs in this process. Defaults to 1.
        desc (str): Label of the progress bar. Defaults to ''.
        progress (bool): Show the progress bar. Defaults to True.

    Returns:
        list: ``fn`` of each item, in the order of ``items``.
    """
    return list(parallel_imap(fn, items, workers, desc, progress))
