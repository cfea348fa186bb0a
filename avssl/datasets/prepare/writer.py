"""Write a prepared data set folder (class list, list files, stats, report) and summarise it."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

from ..splits import Item, write_list

#: Name of the report every prepare tool writes into its output folder.
REPORT_FILE = 'prepare_report.json'
#: Name of the link to the video root that the list paths go through.
VIDEO_LINK = 'videos'


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f'.{path.name}.tmp-{os.getpid()}')
    tmp.write_text(text, encoding='utf-8')
    os.replace(tmp, path)


def link_videos(out: Path, video_root: Path) -> str:
    """Make the videos reachable from ``out`` and return the prefix of the list paths.

    A video root inside ``out`` is used as it is (its relative path is the prefix, ``''`` for
    ``out`` itself); otherwise ``out/videos`` becomes a symbolic link to the video root.

    Args:
        out (Path): The prepared data set folder (exists).
        video_root (Path): Folder the clips' paths are relative to.

    Returns:
        str: Prefix to put before every clip path (``'videos'``, a relative folder or ``''``).

    Raises:
        FileExistsError: If ``out/videos`` exists and is not a link (the message names it).
    """
    root = video_root.resolve()
    here = out.resolve()
    if root == here or here in root.parents:
        return root.relative_to(here).as_posix() if root != here else ''
    link = out / VIDEO_LINK
    if link.is_symlink():
        if link.resolve() == root:
            return VIDEO_LINK
        link.unlink()
    elif link.exists():
        raise FileExistsError(
            f'{link} exists and is not a link to the videos ({root}); move it away or choose '
            'another --out'
        )
    link.symlink_to(root, target_is_directory=True)
    return VIDEO_LINK


def write_dataset_files(
    out: Path,
    class_names: list[str],
    lists: dict[str, list[Item]],
    stats: dict[str, Any],
    report: dict[str, Any],
) -> None:
    """Write ``classes.txt``, ``<name>.txt`` for every list, ``stats.json`` and the report.

    Args:
        out (Path): The data set folder (exists).
        class_names (list[str]): Label ``i`` is line ``i``.
        lists (dict[str, list[tuple[str, int]]]): List name (``train``, ``val``, ...) to items.
        stats (dict): Content of ``stats.json``.
        report (dict): Content of ``prepare_report.json``.
    """
    _write_text(out / 'classes.txt', ''.join(f'{name}\n' for name in class_names))
    for name, items in lists.items():
        write_list(out / f'{name}.txt', items)
    _write_text(out / 'stats.json', json.dumps(stats, indent=2) + '\n')
    _write_text(out / REPORT_FILE, json.dumps(report, indent=2) + '\n')


def format_summary(report: dict[str, Any], max_listed: int = 20) -> str:
    """A human-readable summary of a prepare report.

    Args:
        report (dict): A report as :func:`~.prepare_dataset.prepare_dataset` returns it.
        max_listed (int): Dropped files listed at most. Defaults to 20.

    Returns:
        str: Several lines: the counts, the probe counts, the drops by reason, the first
        dropped files and the warnings.
    """
    counts = report['counts']
    probe = report['probe']
    lines = [
        f'{report["dataset"]}: wrote {report["out"]}',
        f'  classes: {counts["classes"]} kept of {counts["listed_classes"]} listed',
        f'  official train: {counts["listed_train"]} listed, {counts["usable_train"]} usable -> '
        f'train {counts["train"]} + val {counts["val"]}',
        f'  official test:  {counts["listed_test"]} listed, {counts["test"]} usable -> test',
    ]
    shots = sorted(
        int(k[len('train_labeled_') : -len('shot')]) for k in counts if k.startswith('train_lab')
    )
    for k in shots:
        lines.append(
            f'  {k}-shot: {counts[f"train_labeled_{k}shot"]} labeled, '
            f'{counts[f"train_unlabeled_{k}shot"]} unlabeled'
        )
    lines.append(
        f'  probe: {probe["files"]} files, {probe["probed"]} probed, {probe["cached"]} from the '
        f'cache, {probe["missing"]} missing'
    )
    dropped = report['dropped']
    by_reason = Counter(d['reason'].split(':', 1)[0] for d in dropped)
    lines.append(
        f'  dropped: {len(dropped)} clip(s)'
        + (': ' + ', '.join(f'{r} {n}' for r, n in sorted(by_reason.items())) if dropped else '')
    )
    for d in dropped[:max_listed]:
        lines.append(f'    {d["path"]} ({d["split"]}, {d["class"]}): {d["reason"]}')
    if len(dropped) > max_listed:
        lines.append(f'    ... {len(dropped) - max_listed} more in {REPORT_FILE}')
    for warning in report.get('warnings', []):
        lines.append(f'  WARNING: {warning}')
    return '\n'.join(lines)
