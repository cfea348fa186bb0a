"""A JSON cache of probe results, so a second run over a large data set probes nothing again."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .probe import ProbeResult

#: Bumped whenever :func:`~.probe.probe_media` changes what it reports; older caches are ignored.
CACHE_VERSION = 1


class ProbeCache:
    """Probe results keyed by a file's path relative to its data set root, size and mtime.

    An entry is valid only while the file keeps the size and modification time (in
    nanoseconds) it had when it was probed, so a replaced or re-downloaded video is probed
    again. Keys are relative paths, so the cache survives moving the whole video folder
    (the mtimes move with it when copied with ``cp -a`` / ``rsync -a``). Missing files are never
    cached. The file is written atomically (a temporary file renamed into place).

    Args:
        path (str | Path | None): The cache file (created by :meth:`save`); None keeps the
            cache in memory only. An unreadable file or one of another version is ignored
            (everything is probed again) and replaced on :meth:`save`.
    """

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path is not None else None
        self._entries: dict[str, dict[str, Any]] = {}
        self._dirty = False
        if self.path is not None and self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding='utf-8'))
            except (OSError, ValueError):
                data = {}
            if isinstance(data, dict) and data.get('version') == CACHE_VERSION:
                self._entries = dict(data.get('entries', {}))

    def __len__(self) -> int:
        return len(self._entries)

    @staticmethod
    def signature(path: str | os.PathLike[str]) -> tuple[int, int] | None:
        """``(size, mtime_ns)`` of a file, or None if it does not exist.

        Args:
            path (str | os.PathLike[str]): The file.

        Returns:
            tuple[int, int] | None: Its size in bytes and modification time in nanoseconds.
        """
        try:
            st = os.stat(path)
        except OSError:
            return None
        return int(st.st_size), int(st.st_mtime_ns)

    def get(self, key: str, signature: tuple[int, int]) -> ProbeResult | None:
        """The cached result of ``key`` if the file still has ``signature``.

        Args:
            key (str): Path relative to the data set root.
            signature (tuple[int, int]): Current ``(size, mtime_ns)`` of the file.

        Returns:
            ProbeResult | None: The cached result, or None when absent or stale.
        """
        entry = self._entries.get(key)
        if entry is None or [entry.get('size'), entry.get('mtime_ns')] != list(signature):
            return None
        try:
            return ProbeResult.from_dict(entry['result'])
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, key: str, signature: tuple[int, int], result: ProbeResult) -> None:
        """Store ``result`` for ``key`` probed at ``signature``.

        Args:
            key (str): Path relative to the data set root.
            signature (tuple[int, int]): ``(size, mtime_ns)`` of the probed file.
            result (ProbeResult): The probe's outcome.
        """
        size, mtime_ns = signature
        self._entries[key] = {'size': size, 'mtime_ns': mtime_ns, 'result': result.to_dict()}
        self._dirty = True

    def save(self) -> None:
        """Write the cache file if anything changed (no-op for an in-memory cache)."""
        if self.path is None or not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f'.{self.path.name}.tmp-{os.getpid()}')
        payload = {'version': CACHE_VERSION, 'entries': self._entries}
        tmp.write_text(json.dumps(payload, sort_keys=True) + '\n', encoding='utf-8')
        os.replace(tmp, self.path)
        self._dirty = False
