"""The list files of a prepared real data set: train / val / test and the k-shot splits."""

from __future__ import annotations

import numpy as np

from ..splits import Item, group_by_label, split_kshot, split_train_val_test

#: Salt of the per-class validation hold-out draw (``splits.py`` uses 0 and 1).
VAL_SALT = 2


def hold_out_per_class(
    items: list[Item], per_class: int, seed: int
) -> tuple[list[Item], list[Item]]:
    """Move ``per_class`` clips of every class from ``items`` to a held-out set.

    Each class's clips are sorted and permuted with ``default_rng([seed, label, VAL_SALT])``;
    the first ``per_class`` are held out.

    Args:
        items (list[tuple[str, int]]): ``(relative_path, label)`` pairs.
        per_class (int): Clips held out per class (>= 0).
        seed (int): Seed of the draw.

    Returns:
        tuple[list, list]: ``(kept, held_out)``, each sorted by path.

    Raises:
        ValueError: If ``per_class < 0``.
    """
    if per_class < 0:
        raise ValueError(f'per_class must be >= 0, got {per_class}')
    kept: list[Item] = []
    held: list[Item] = []
    for label, paths in group_by_label(items).items():
        perm = np.random.default_rng([seed, label, VAL_SALT]).permutation(len(paths))
        chosen = set(perm[:per_class].tolist())
        for i, rel in enumerate(paths):
            (held if i in chosen else kept).append((rel, label))
    return sorted(kept), sorted(held)


def check_class_sizes(
    items: list[Item],
    class_names: list[str],
    needed: int,
    what: str,
) -> None:
    """Raise unless every class has at least ``needed`` clips in ``items``.

    Args:
        items (list[tuple[str, int]]): ``(relative_path, label)`` pairs.
        class_names (list[str]): Name of every label.
        needed (int): Minimum number of clips per class.
        what (str): What ``needed`` is made of, for the message.

    Raises:
        ValueError: Listing every class that has fewer clips.
    """
    sizes = {label: len(paths) for label, paths in group_by_label(items).items()}
    short = [
        f'{name} ({sizes.get(label, 0)})'
        for label, name in enumerate(class_names)
        if sizes.get(label, 0) < needed
    ]
    if short:
        shown = ', '.join(short[:20]) + (f', ... ({len(short)} in all)' if len(short) > 20 else '')
        raise ValueError(
            f'{len(short)} class(es) have fewer than {needed} usable training clips ({what}): '
            f'{shown}'
        )


def make_lists(
    train: list[Item],
    test: list[Item],
    class_names: list[str],
    seed: int,
    val_per_class: int | None = 5,
    val_ratio: float | None = None,
    shots: tuple[int, ...] = (1, 5),
) -> dict[str, list[Item]]:
    """Split the official training clips into train and val and draw the k-shot lists.

    ``val.txt`` is held out of the official training split (disjoint from ``train.txt``),
    either ``val_per_class`` clips per class (:func:`hold_out_per_class`) or a per-class
    fraction ``val_ratio`` (:func:`~avssl.datasets.splits.split_train_val_test`); the official
    test (or validation) split becomes ``test.txt``. The labeled and unlabeled lists of every
    ``k`` partition ``train.txt`` (:func:`~avssl.datasets.splits.split_kshot`).

    Args:
        train (list[tuple[str, int]]): Usable clips of the official training split.
        test (list[tuple[str, int]]): Usable clips of the official test split.
        class_names (list[str]): Name of every label (for messages).
        seed (int): Seed of every draw.
        val_per_class (int | None): Clips per class held out for val. Defaults to 5.
        val_ratio (float | None): Per-class fraction held out instead (rounded half up).
            Defaults to None.
        shots (tuple[int, ...]): The ``k`` of the k-shot lists. Defaults to ``(1, 5)``.

    Returns:
        dict[str, list[tuple[str, int]]]: ``train``, ``val``, ``test``,
        ``train_labeled_{k}shot`` and ``train_unlabeled_{k}shot``, each sorted by path.

    Raises:
        ValueError: If both or neither of ``val_per_class`` / ``val_ratio`` are given, or a
            class has too few training clips (all such classes are named).
    """
    if (val_per_class is None) == (val_ratio is None):
        raise ValueError('give exactly one of val_per_class and val_ratio')
    largest = max(shots) if shots else 0
    if val_per_class is not None:
        what = f'{val_per_class} for val + {largest} labeled + 1 unlabeled'
        check_class_sizes(train, class_names, val_per_class + largest + 1, what)
        kept, val = hold_out_per_class(train, val_per_class, seed)
    else:
        check_class_sizes(train, class_names, largest + 2, 'val, labeled and unlabeled clips')
        kept, val, _ = split_train_val_test(train, float(val_ratio), 0.0, seed)
    lists: dict[str, list[Item]] = {'train': kept, 'val': val, 'test': sorted(test)}
    for k in sorted(shots):
        labeled, unlabeled = split_kshot(kept, k, seed, class_names=class_names)
        lists[f'train_labeled_{k}shot'] = labeled
        lists[f'train_unlabeled_{k}shot'] = unlabeled
    return lists
