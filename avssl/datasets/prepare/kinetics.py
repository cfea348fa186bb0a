"""Kinetics-400 with audio, from the official CSV annotations and the clip folders."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from .clip_record import Clip
from .name_format import check_num_classes, format_name
from .prepare_dataset import prepare_dataset

#: The columns every official Kinetics CSV has (newer files add ``is_cc``).
KINETICS_COLUMNS = ('label', 'youtube_id', 'time_start', 'time_end', 'split')
DEFAULT_NAME_FORMAT = '{youtube_id}_{time_start:06d}_{time_end:06d}.mp4'
#: File names each split's annotation may have, and the folders its videos may be in.
SPLIT_FILES = {'train': ('train.csv',), 'val': ('val.csv', 'validate.csv')}
SPLIT_DIRS = {'train': ('train',), 'val': ('val', 'validate')}


def read_kinetics_csv(path: Path) -> list[dict[str, Any]]:
    """Read an official Kinetics CSV (``label,youtube_id,time_start,time_end,split``).

    Args:
        path (Path): The CSV file.

    Returns:
        list[dict[str, Any]]: One dict per row; ``time_start`` and ``time_end`` as ints.

    Raises:
        ValueError: Naming the file (and line) if a column is missing or a time is not a
            number.
    """
    with path.open(encoding='utf-8', newline='') as f:
        reader = csv.DictReader(f)
        missing = [c for c in KINETICS_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(
                f'{path}: missing the column(s) {missing}; expected a header with '
                f'{",".join(KINETICS_COLUMNS)}'
            )
        rows = []
        for row in reader:
            try:
                row['time_start'] = int(float(row['time_start']))
                row['time_end'] = int(float(row['time_end']))
            except (TypeError, ValueError):
                raise ValueError(f'{path}:{reader.line_num}: bad time in {row}') from None
            rows.append(row)
    return rows


def _find(folder: Path, names: tuple[str, ...]) -> Path | None:
    return next((folder / n for n in names if (folder / n).exists()), None)


def read_kinetics_clips(
    root: Path, name_format: str = DEFAULT_NAME_FORMAT, num_classes: int | None = 400
) -> tuple[list[Clip], list[str], dict[str, Any]]:
    """The clips of ``ROOT/annotations/{train,val}.csv`` and the sorted class names.

    The validation split is what papers test on: its clips get split ``'test'``. A clip's
    path is ``<split folder>/<name-format>``, the folder being ``train`` or ``val`` (or
    ``validate`` if that is what exists).

    Args:
        root (Path): The Kinetics folder.
        name_format (str): File name template over the CSV columns. Defaults to
            :data:`DEFAULT_NAME_FORMAT`.
        num_classes (int | None): Required number of classes in the training CSV.
            Defaults to 400.

    Returns:
        tuple[list[Clip], list[str], dict]: Clips, sorted class names, and notes for the
        report (the CSV files used, ignored ones).

    Raises:
        FileNotFoundError: If an annotation file is missing.
        ValueError: If the class count is not ``num_classes`` or the validation CSV has a
            class the training CSV lacks.
    """
    ann = root / 'annotations'
    notes: dict[str, Any] = {'annotations': {}}
    clips: list[Clip] = []
    classes: dict[str, set[str]] = {}
    for split, out_split in (('train', 'train'), ('val', 'test')):
        csv_path = _find(ann, SPLIT_FILES[split])
        if csv_path is None:
            raise FileNotFoundError(
                f'Kinetics annotation not found: {ann}/{" or ".join(SPLIT_FILES[split])}'
            )
        folder = _find(root, SPLIT_DIRS[split])
        folder_name = folder.name if folder is not None else SPLIT_DIRS[split][0]
        notes['annotations'][split] = str(csv_path)
        rows = read_kinetics_csv(csv_path)
        classes[split] = {r['label'] for r in rows}
        for row in rows:
            name = format_name(name_format, row)
            clips.append(Clip(f'{folder_name}/{name}', row['label'], out_split))
    names = sorted(classes['train'])
    check_num_classes(names, num_classes, notes['annotations']['train'])
    extra = sorted(classes['val'] - classes['train'])
    if extra:
        raise ValueError(
            f'{notes["annotations"]["val"]} has classes missing from the training CSV: {extra[:10]}'
        )
    test_csv = ann / 'test.csv'
    if test_csv.is_file():
        notes['ignored'] = f'{test_csv} (papers test on the validation split)'
    return clips, names, notes


def prepare_k400(
    root: str | Path,
    out: str | Path,
    name_format: str = DEFAULT_NAME_FORMAT,
    num_classes: int | None = 400,
    **kwargs: Any,
) -> dict[str, Any]:
    """Prepare Kinetics-400 with audio (see ``docs/datasets.md``).

    Args:
        root (str | Path): Folder with ``annotations/{train,val}.csv``, ``train/`` and ``val/``.
        out (str | Path): Output folder.
        name_format (str): File name template. Defaults to :data:`DEFAULT_NAME_FORMAT`.
        num_classes (int | None): Required class count. Defaults to 400.
        **kwargs: Options of :func:`~.prepare_dataset.prepare_dataset`.

    Returns:
        dict[str, Any]: The report.
    """
    root = Path(root)
    clips, names, notes = read_kinetics_clips(root, name_format, num_classes)
    options = dict(kwargs.pop('options', None) or {})
    options['annotations'] = notes
    return prepare_dataset(
        name='Kinetics-400',
        clips=clips,
        class_names=names,
        video_root=root,
        out=out,
        options=options,
        **kwargs,
    )
