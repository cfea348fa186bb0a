"""Probe every clip of a data set, in parallel, skipping the files the cache already knows."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .parallel_map import parallel_imap
from .probe import STATUS_MISSING, ProbeResult, probe_media
from .probe_cache import ProbeCache

#: The cache is also saved after every this many probes, so an interrupted run keeps its work.
SAVE_EVERY = 10000


@dataclass
class ProbeCounts:
    """How the probe results of one run were obtained.

    Attributes:
        files (int): Clips asked about.
        probed (int): Files opened and probed in this run.
        cached (int): Results taken from the cache.
        missing (int): Files that do not exist (neither probed nor cached).
    """

    files: int = 0
    probed: int = 0
    cached: int = 0
    missing: int = 0


def probe_files(
    root: str | Path,
    rel_paths: Sequence[str],
    cache: ProbeCache,
    workers: int = 1,
    progress: bool = True,
    desc: str = 'probe',
) -> tuple[dict[str, ProbeResult], ProbeCounts]:
    """Probe ``root / rel`` for every ``rel`` in ``rel_paths``.

    Files whose size and mtime match a cache entry are not opened; the others are probed by
    ``workers`` processes (:func:`probe_media`) and stored in ``cache``; the cache is saved
    every :data:`SAVE_EVERY` probes and at the end, also when the run is interrupted.

    Args:
        root (str | Path): Folder the paths are relative to.
        rel_paths (Sequence[str]): Paths to probe (duplicates are probed once).
        cache (ProbeCache): Cache to read and update.
        workers (int): Probing processes. Defaults to 1.
        progress (bool): Show a progress bar. Defaults to True.
        desc (str): Label of the progress bar. Defaults to ``'probe'``.

    Returns:
        tuple[dict[str, ProbeResult], ProbeCounts]: Result per relative path, and counts.
    """
    root = Path(root)
    unique = list(dict.fromkeys(rel_paths))
    results: dict[str, ProbeResult] = {}
    counts = ProbeCounts(files=len(unique))
    todo: list[tuple[str, tuple[int, int]]] = []
    for rel in unique:
        signature = ProbeCache.signature(root / rel)
        if signature is None:
            results[rel] = ProbeResult(status=STATUS_MISSING)
            counts.missing += 1
            continue
        hit = cache.get(rel, signature)
        if hit is not None:
            results[rel] = hit
            counts.cached += 1
        else:
            todo.append((rel, signature))
    try:
        probed = parallel_imap(
            probe_media,
            [os.fspath(root / rel) for rel, _ in todo],
            workers=workers,
            desc=desc,
            progress=progress,
        )
        for (rel, signature), result in zip(todo, probed, strict=True):
            results[rel] = result
            counts.probed += 1
            if result.status != STATUS_MISSING:
                cache.put(rel, signature, result)
            if counts.probed % SAVE_EVERY == 0:
                cache.save()
    finally:
        cache.save()
    return {rel: results[rel] for rel in unique}, counts
