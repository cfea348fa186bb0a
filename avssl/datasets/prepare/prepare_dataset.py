"""The steps every real data set goes through: probe, filter, split, audio statistics, write."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .audio_stats import compute_audio_stats, pick_stats_clips, stats_payload
from .clip_record import CLASS_DROPPED, Clip
from .lists import make_lists
from .probe import ProbeResult
from .probe_cache import ProbeCache
from .probe_files import probe_files
from .writer import REPORT_FILE, link_videos, write_dataset_files

logger = logging.getLogger('avssl.datasets.prepare')

#: Name of the probe cache inside the output folder.
PROBE_CACHE_FILE = '.probe_cache.json'

#: A class rule: ``(class names, clips, probe results) -> (kept names, per-class report)``.
ClassRule = Callable[[list[str], list[Clip], dict[str, ProbeResult]], tuple[list[str], list[dict]]]


def _warn(report: dict[str, Any], message: str) -> None:
    logger.warning(message)
    report['warnings'].append(message)


def _check_expected(
    report: dict[str, Any], expected: dict[str, tuple[int, float]], name: str
) -> None:
    counts = report['counts']
    for key, (value, tolerance) in expected.items():
        got = counts[key]
        if abs(got - value) > tolerance * value:
            about = 'exactly' if tolerance == 0 else f'about (+-{tolerance:.0%})'
            _warn(report, f'{name}: {key} is {got}, the paper has {about} {value}')


def prepare_dataset(
    *,
    name: str,
    clips: Sequence[Clip],
    class_names: Sequence[str],
    video_root: str | Path,
    out: str | Path,
    seed: int = 0,
    val_per_class: int | None = 5,
    val_ratio: float | None = None,
    shots: tuple[int, ...] = (1, 5),
    workers: int = 1,
    stats_clips: int = 2000,
    progress: bool = True,
    probe_cache: str | Path | None = None,
    class_rule: ClassRule | None = None,
    expected: dict[str, tuple[int, float]] | None = None,
    pre_dropped: Sequence[dict[str, str]] = (),
    options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Turn an official annotation into an avssl data set folder.

    1. Every clip's file is probed (:func:`probe_files`, in ``workers`` processes; results
       cached in ``probe_cache``, by default ``OUT/.probe_cache.json``).
    2. ``class_rule`` (if any) picks the classes to keep; the clips of the others are dropped
       as ``class_dropped``. Inside kept classes, clips that are missing, unreadable or
       without audio are dropped with that reason.
    3. The kept classes get the labels ``0..C-1`` in the order of ``class_names``.
    4. :func:`~.lists.make_lists` writes train / val (held out of the official training
       split) / test (the official test split) and the k-shot lists.
    5. ``stats.json``: log-mel mean/std of ``train.txt``'s audio, on a seeded subsample of
       ``stats_clips`` clips (all when ``<= 0``).
    6. ``classes.txt``, the lists, ``stats.json`` and ``prepare_report.json`` are written into
       ``out``; the videos are reached through ``out/videos`` (a link to ``video_root``)
       unless ``video_root`` is inside ``out``.

    The data set files depend only on the annotation, the files' probe outcomes and the
    options (not on ``workers`` or the cache), so two runs give identical files.

    Args:
        name (str): Data set name (for the report and messages).
        clips (Sequence[Clip]): Every clip of the official annotation.
        class_names (Sequence[str]): Every annotated class, in label order.
        video_root (str | Path): Folder the clip paths are relative to.
        out (str | Path): Output folder (created if needed).
        seed (int): Seed of the val hold-out, the k-shot draws and the stats subsample.
            Defaults to 0.
        val_per_class (int | None): Training clips per class held out as val. Defaults to 5.
        val_ratio (float | None): Per-class fraction held out instead. Defaults to None.
        shots (tuple[int, ...]): ``k`` of the k-shot lists. Defaults to ``(1, 5)``.
        workers (int): Processes for probing and the audio statistics. Defaults to 1.
        stats_clips (int): Training clips the audio statistics use. Defaults to 2000.
        progress (bool): Show progress bars. Defaults to True.
        probe_cache (str | Path | None): Cache file. Defaults to ``OUT/.probe_cache.json``.
        class_rule (ClassRule | None): Picks the kept classes. Defaults to keeping all.
        expected (dict[str, tuple[int, float]] | None): Counts the paper reports, as
            ``{count key: (value, relative tolerance)}``; a count outside logs a warning.
        pre_dropped (Sequence[dict[str, str]]): Report entries of clips the caller already
            left out (e.g. ``class_not_selected``).
        options (dict | None): The tool's options, recorded in the report and ``stats.json``.

    Returns:
        dict[str, Any]: The report (also written to ``OUT/prepare_report.json``).

    Raises:
        ValueError: If a kept class has too few usable training clips for the val hold-out and
            the largest k-shot split (all such classes are named), or no audio is readable.
        FileExistsError: If ``OUT/videos`` exists and is not a link.
    """
    out = Path(out)
    video_root = Path(video_root)
    out.mkdir(parents=True, exist_ok=True)
    class_names = list(class_names)
    report: dict[str, Any] = {
        'dataset': name,
        'video_root': str(video_root.resolve()),
        'out': str(out.resolve()),
        'options': dict(options or {}),
        'warnings': [],
    }
    cache = ProbeCache(probe_cache if probe_cache is not None else out / PROBE_CACHE_FILE)
    probes, probe_counts = probe_files(
        video_root, [c.path for c in clips], cache, workers, progress, desc=f'{name} probe'
    )
    report['probe'] = asdict(probe_counts)

    if class_rule is not None:
        kept_names, class_report = class_rule(class_names, list(clips), probes)
    else:
        kept_names, class_report = list(class_names), []
    kept_set = set(kept_names)
    kept_names = [n for n in class_names if n in kept_set]
    labels = {n: i for i, n in enumerate(kept_names)}

    prefix = link_videos(out, video_root)
    dropped = list(pre_dropped)
    usable: dict[str, list[tuple[str, int]]] = {'train': [], 'test': []}
    for clip in clips:
        reason = CLASS_DROPPED if clip.class_name not in labels else probes[clip.path].drop_reason
        if reason is not None:
            dropped.append(clip.dropped(reason))
            continue
        rel = f'{prefix}/{clip.path}' if prefix else clip.path
        usable[clip.split].append((rel, labels[clip.class_name]))

    lists = make_lists(
        usable['train'], usable['test'], kept_names, seed, val_per_class, val_ratio, shots
    )
    listed = Counter(c.split for c in clips)
    counts: dict[str, int] = {
        'classes': len(kept_names),
        'listed_classes': len(class_names),
        'listed_train': listed['train'],
        'listed_test': listed['test'],
        'usable_train': len(usable['train']),
        **{key: len(items) for key, items in lists.items()},
    }
    report['counts'] = counts
    _check_expected(report, expected or {}, name)

    train_paths = [rel for rel, _ in lists['train']]
    chosen = pick_stats_clips(train_paths, stats_clips, seed)
    stats = compute_audio_stats([out / rel for rel in chosen], workers, progress)
    report['stats_failures'] = [
        {'path': str(Path(p).relative_to(out)), 'error': e} for p, e in stats.failures
    ]
    for failure in report['stats_failures']:
        _warn(report, f'audio statistics: cannot read {failure["path"]}: {failure["error"]}')

    prepare_info = {
        'dataset': name,
        'seed': seed,
        'val_per_class': val_per_class,
        'val_ratio': val_ratio,
        'shots': list(shots),
        'stats_clips': stats_clips,
    }
    stats_json = stats_payload(stats, {k: counts[k] for k in ['classes', *lists]}, prepare_info)
    report['classes'] = {'kept': kept_names, 'rule': class_report}
    report['dropped_by_reason'] = dict(
        sorted(Counter(d['reason'].split(':', 1)[0] for d in dropped).items())
    )
    report['dropped'] = dropped
    report['report_file'] = str(out / REPORT_FILE)
    write_dataset_files(out, kept_names, lists, stats_json, report)
    return report
