"""List files and class-stratified splits shared by SynthAV and the real-data prepare tools.

A list file has one ``<relative/path.mp4> <label>`` line per clip. The helpers here are
deterministic for a seed: each class draws from its own ``numpy.random.default_rng([seed,
label, salt])`` (one ``salt`` per helper), so adding or removing one class never reshuffles the
others and the two helpers never draw the same permutation.
"""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path

import numpy as np

Item = tuple[str, int]


def write_list(path: str | Path, items: list[Item]) -> None:
    """Write ``items`` as a list file, one ``"<path> <label>"`` line each, in the given order.

    Args:
        path (str | Path): File to write (parent folders are created).
        items (list[tuple[str, int]]): ``(relative_path, label)`` pairs.

    Raises:
        ValueError: If a path contains whitespace or a label is negative.
    """
    lines = []
    for rel, label in items:
        if not rel or any(ch.isspace() for ch in rel):
            raise ValueError(f'list-file paths must be non-empty without whitespace, got {rel!r}')
        if int(label) < 0:
            raise ValueError(f'labels must be >= 0, got {label} for {rel!r}')
        lines.append(f'{rel} {int(label)}\n')
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(''.join(lines), encoding='utf-8')


def read_list(path: str | Path) -> list[Item]:
    """Read a list file written by :func:`write_list` (blank lines are skipped).

    Args:
        path (str | Path): List file.

    Returns:
        list[tuple[str, int]]: ``(relative_path, label)`` pairs in file order.

    Raises:
        ValueError: Naming the file and line if a line is not ``"<path> <label>"``.
    """
    items = []
    for num, line in enumerate(Path(path).read_text(encoding='utf-8').splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 2 or not parts[1].lstrip('-').isdigit():
            raise ValueError(f'{path}:{num}: expected "<path> <label>", got {line!r}')
        items.append((parts[0], int(parts[1])))
    return items


def group_by_label(items: list[Item]) -> dict[int, list[str]]:
    """Group paths by label, each group sorted.

    Args:
        items (list[tuple[str, int]]): ``(relative_path, label)`` pairs.

    Returns:
        dict[int, list[str]]: Label to sorted paths, labels in ascending order.
    """
    groups: dict[int, list[str]] = defaultdict(list)
    for rel, label in items:
        groups[int(label)].append(rel)
    return {label: sorted(groups[label]) for label in sorted(groups)}


def _class_name(label: int, class_names: list[str] | None) -> str:
    if class_names is not None and 0 <= label < len(class_names):
        return f'{label} ({class_names[label]})'
    return str(label)


def _round_half_up(x: float) -> int:
    return int(math.floor(x + 0.5))


def split_kshot(
    items: list[Item], k: int, seed: int, class_names: list[str] | None = None
) -> tuple[list[Item], list[Item]]:
    """Draw exactly ``k`` labeled clips per class; the rest is the unlabeled pool.

    Each class's clips are sorted, permuted with ``default_rng([seed, label, 1])`` and the first
    ``k`` are labeled, so for one seed the ``k``-shot labeled set contains every smaller
    ``k``-shot labeled set, and the result does not depend on the input order.

    Args:
        items (list[tuple[str, int]]): The training clips ``(relative_path, label)``.
        k (int): Labeled clips per class (>= 1).
        seed (int): Seed of the draw.
        class_names (list[str] | None): Names used in error messages. Defaults to None.

    Returns:
        tuple[list[tuple[str, int]], list[tuple[str, int]]]: ``(labeled, unlabeled)``, each
        sorted by path; disjoint, and together exactly ``items``.

    Raises:
        ValueError: If ``k < 1`` or a class has fewer than ``k + 1`` clips (so it would leave
            no unlabeled clip); the message names the class.
    """
    if k < 1:
        raise ValueError(f'k must be >= 1, got {k}')
    labeled: list[Item] = []
    unlabeled: list[Item] = []
    for label, paths in group_by_label(items).items():
        if len(paths) < k + 1:
            raise ValueError(
                f'class {_class_name(label, class_names)} has {len(paths)} training clips; a '
                f'{k}-shot split needs at least {k + 1} (k labeled + 1 unlabeled)'
            )
        perm = np.random.default_rng([seed, label, 1]).permutation(len(paths))
        chosen = set(perm[:k].tolist())
        for i, rel in enumerate(paths):
            (labeled if i in chosen else unlabeled).append((rel, label))
    return sorted(labeled), sorted(unlabeled)


def split_train_val_test(
    items: list[Item], val_fraction: float, test_fraction: float, seed: int
) -> tuple[list[Item], list[Item], list[Item]]:
    """Split clips into train/val/test per class with the given fractions.

    Per class of ``n`` clips, ``n * val_fraction`` (rounded half up) go to val, ``n *
    test_fraction`` (rounded half up) to test and the rest to train, drawn with
    ``default_rng([seed, label, 0])``.

    Args:
        items (list[tuple[str, int]]): All clips ``(relative_path, label)``.
        val_fraction (float): Fraction for val, in [0, 1).
        test_fraction (float): Fraction for test, in [0, 1).
        seed (int): Seed of the draw.

    Returns:
        tuple[list, list, list]: ``(train, val, test)`` lists of ``(relative_path, label)``,
        each sorted by path.

    Raises:
        ValueError: If the fractions are out of range or leave a class without a train clip.
    """
    if not (0 <= val_fraction < 1 and 0 <= test_fraction < 1 and val_fraction + test_fraction < 1):
        raise ValueError(f'bad fractions: val={val_fraction}, test={test_fraction}')
    train: list[Item] = []
    val: list[Item] = []
    test: list[Item] = []
    for label, paths in group_by_label(items).items():
        n = len(paths)
        n_val, n_test = _round_half_up(n * val_fraction), _round_half_up(n * test_fraction)
        if n - n_val - n_test < 1:
            raise ValueError(f'class {label} has {n} clips: none left for train')
        perm = np.random.default_rng([seed, label, 0]).permutation(n)
        for rank, i in enumerate(perm.tolist()):
            part = val if rank < n_val else test if rank < n_val + n_test else train
            part.append((paths[i], label))
    return sorted(train), sorted(val), sorted(test)
