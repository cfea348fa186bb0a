"""UCF-51: the UCF-101 classes whose videos carry audio, from UCF-101's official split files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from .clip_record import Clip
from .prepare_dataset import prepare_dataset
from .probe import STATUS_OK, ProbeResult

#: Counts of the paper (split 1): classes exactly, clips within 10 %.
UCF51_EXPECTED: dict[str, tuple[int, float]] = {
    'classes': (51, 0.0),
    'usable_train': (4900, 0.1),
    'test': (1400, 0.1),
}


def read_class_index(path: Path) -> list[str]:
    """Read ``classInd.txt`` (``"<index> <ClassName>"`` lines, index from 1).

    Args:
        path (Path): The file.

    Returns:
        list[str]: Class names in index order.

    Raises:
        FileNotFoundError: If the file is missing.
        ValueError: Naming the file and line if a line is malformed or the indices are not
            ``1..N``.
    """
    if not path.is_file():
        raise FileNotFoundError(f'UCF-101 class index not found: {path}')
    entries: dict[int, str] = {}
    for num, line in enumerate(path.read_text(encoding='utf-8').splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 2 or not parts[0].isdigit():
            raise ValueError(f'{path}:{num}: expected "<index> <ClassName>", got {line!r}')
        entries[int(parts[0])] = parts[1]
    if sorted(entries) != list(range(1, len(entries) + 1)):
        raise ValueError(f'{path}: class indices must be 1..N, got {sorted(entries)[:10]}...')
    return [entries[i] for i in range(1, len(entries) + 1)]


def read_split_list(path: Path, class_names: list[str], split: str) -> list[Clip]:
    """Read a ``trainlist0X.txt`` / ``testlist0X.txt`` of UCF-101.

    Lines are ``<Class>/v_<Class>_gXX_cYY.avi`` with (train) or without (test) a 1-based
    label. The class is the label's class when given, else the folder's (matched exactly,
    then ignoring case, as a few UCF-101 folders and file names differ in case).

    Args:
        path (Path): The list file.
        class_names (list[str]): Names from ``classInd.txt``.
        split (str): ``'train'`` or ``'test'``.

    Returns:
        list[Clip]: The listed clips.

    Raises:
        FileNotFoundError: If the file is missing.
        ValueError: Naming the file and line for an unknown class or a bad label.
    """
    if not path.is_file():
        raise FileNotFoundError(f'UCF-101 split list not found: {path}')
    lower = {n.lower(): n for n in class_names}
    clips = []
    for num, line in enumerate(path.read_text(encoding='utf-8').splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        rel = parts[0].replace('\\', '/')
        if len(parts) >= 2:
            if not parts[1].isdigit() or not 1 <= int(parts[1]) <= len(class_names):
                raise ValueError(f'{path}:{num}: bad class index {parts[1]!r} in {line!r}')
            name = class_names[int(parts[1]) - 1]
        else:
            folder = rel.split('/', 1)[0]
            name = folder if folder in class_names else lower.get(folder.lower(), '')
            if not name:
                raise ValueError(f'{path}:{num}: folder {folder!r} is not a class of classInd')
        clips.append(Clip(path=rel, class_name=name, split=split))
    return clips


def find_video_root(root: Path, clips: list[Clip]) -> Path:
    """The folder holding the class folders: ``root`` itself or one of its sub-folders.

    Accepts ``--root`` pointing at the class folders' parent (``.../UCF-101``) or one level
    above (``.../UCF101`` holding ``UCF-101/``). The candidate with the most listed clip
    folders present wins.

    Args:
        root (Path): The given root.
        clips (list[Clip]): The listed clips (their first path component is the folder).

    Returns:
        Path: The video root.

    Raises:
        FileNotFoundError: If neither ``root`` nor a sub-folder holds any listed class folder.
    """
    if not root.is_dir():
        raise FileNotFoundError(f'UCF-101 video folder not found: {root}')
    folders = {c.path.split('/', 1)[0] for c in clips}
    candidates = [root] + sorted(p for p in root.iterdir() if p.is_dir())
    scored = [(sum((c / f).is_dir() for f in folders), i, c) for i, c in enumerate(candidates)]
    best = max(scored, key=lambda s: (s[0], -s[1]))
    if best[0] == 0:
        raise FileNotFoundError(
            f'no class folder of the split lists (e.g. {sorted(folders)[:3]}) found in {root} '
            'or its sub-folders; --root must point at UCF-101/ (the class folders) or its parent'
        )
    return best[2]


def majority_audio_rule(
    class_names: list[str], clips: list[Clip], probes: dict[str, ProbeResult]
) -> tuple[list[str], list[dict[str, Any]]]:
    """Keep a class when more than half of its listed videos are readable and carry audio.

    Counted over the videos of the split's train and test lists; a missing or unreadable
    video counts as one without audio.

    Args:
        class_names (list[str]): All classes.
        clips (list[Clip]): All listed clips.
        probes (dict[str, ProbeResult]): Probe result per clip path.

    Returns:
        tuple[list[str], list[dict]]: Kept class names, and per class ``name``, ``videos``,
        ``with_audio`` and ``kept``.
    """
    total = Counter(c.class_name for c in clips)
    audio = Counter(c.class_name for c in clips if probes[c.path].status == STATUS_OK)
    kept, info = [], []
    for name in class_names:
        keep = 2 * audio[name] > total[name]
        info.append({'name': name, 'videos': total[name], 'with_audio': audio[name], 'kept': keep})
        if keep:
            kept.append(name)
    return kept, info


def prepare_ucf51(
    root: str | Path,
    splits: str | Path,
    out: str | Path,
    split: int = 1,
    **kwargs: Any,
) -> dict[str, Any]:
    """Prepare UCF-51 from UCF-101 (see ``docs/datasets.md``).

    Args:
        root (str | Path): ``UCF-101/`` (holding ``<Class>/v_*.avi``) or its parent.
        splits (str | Path): ``ucfTrainTestlist/`` with ``classInd.txt``,
            ``trainlist0{split}.txt`` and ``testlist0{split}.txt``.
        out (str | Path): Output folder.
        split (int): Official split 1, 2 or 3. Defaults to 1 (the paper's).
        **kwargs: Options of :func:`~.prepare_dataset.prepare_dataset` (``seed``,
            ``val_per_class``, ``val_ratio``, ``workers``, ``stats_clips``, ``progress``,
            ``probe_cache``, ``options``).

    Returns:
        dict[str, Any]: The report.
    """
    if split not in (1, 2, 3):
        raise ValueError(f'UCF-101 has splits 1, 2 and 3, got {split}')
    splits = Path(splits)
    class_names = read_class_index(splits / 'classInd.txt')
    clips = read_split_list(splits / f'trainlist0{split}.txt', class_names, 'train')
    clips += read_split_list(splits / f'testlist0{split}.txt', class_names, 'test')
    video_root = find_video_root(Path(root), clips)
    return prepare_dataset(
        name='UCF-51',
        clips=clips,
        class_names=class_names,
        video_root=video_root,
        out=out,
        class_rule=majority_audio_rule,
        expected=UCF51_EXPECTED,
        **kwargs,
    )
