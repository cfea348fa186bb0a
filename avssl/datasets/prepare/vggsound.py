"""VGGSound from its ``vggsound.csv`` and the downloaded clips."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from ..list_file_dataset import read_class_names
from .clip_record import CLASS_NOT_SELECTED, Clip
from .name_format import check_num_classes, format_name
from .prepare_dataset import prepare_dataset

DEFAULT_NAME_FORMAT = '{youtube_id}_{start:06d}.mp4'
#: VGGSound clips are 10 s long; ``{end}`` in a name template is ``start + CLIP_SECONDS``.
CLIP_SECONDS = 10
SPLITS = ('train', 'test')


def read_vggsound_csv(path: Path) -> list[dict[str, Any]]:
    """Read ``vggsound.csv``: no header, rows ``youtube_id,start_seconds,label,split``.

    Labels that contain commas may be quoted or not: the first two fields and the last are
    taken as they are and everything between is the label.

    Args:
        path (Path): The CSV file.

    Returns:
        list[dict[str, Any]]: ``youtube_id``, ``start`` (int), ``end`` (int), ``label`` and
        ``split`` per row.

    Raises:
        FileNotFoundError: If the file is missing.
        ValueError: Naming the file and line of a malformed row or an unknown split.
    """
    if not path.is_file():
        raise FileNotFoundError(f'VGGSound annotation not found: {path}')
    rows = []
    with path.open(encoding='utf-8', newline='') as f:
        for num, fields in enumerate(csv.reader(f), start=1):
            if not fields or not ''.join(fields).strip():
                continue
            if len(fields) < 4:
                raise ValueError(
                    f'{path}:{num}: expected "youtube_id,start_seconds,label,split", got {fields}'
                )
            ytid, start, split = fields[0].strip(), fields[1].strip(), fields[-1].strip()
            label = ','.join(fields[2:-1]).strip()
            if split not in SPLITS:
                raise ValueError(f'{path}:{num}: split must be train or test, got {split!r}')
            try:
                start_s = int(float(start))
            except ValueError:
                raise ValueError(f'{path}:{num}: bad start_seconds {start!r}') from None
            rows.append(
                dict(
                    youtube_id=ytid,
                    start=start_s,
                    end=start_s + CLIP_SECONDS,
                    label=label,
                    split=split,
                )
            )
    return rows


def read_vggsound_clips(
    csv_path: Path,
    name_format: str = DEFAULT_NAME_FORMAT,
    num_classes: int | None = 309,
    classes_file: Path | None = None,
) -> tuple[list[Clip], list[str], list[dict[str, str]]]:
    """The clips of ``vggsound.csv``, the sorted class names, and the rows left out.

    With ``classes_file`` (one class name per line) only those classes are kept; rows of the
    other classes are reported as ``class_not_selected``.

    Args:
        csv_path (Path): ``vggsound.csv``.
        name_format (str): File name template, relative to the video folder, over
            ``youtube_id``, ``start``, ``end``, ``label`` and ``split``. Defaults to
            :data:`DEFAULT_NAME_FORMAT`.
        num_classes (int | None): Required number of classes (after the selection).
            Defaults to 309.
        classes_file (Path | None): Classes to keep. Defaults to None (all).

    Returns:
        tuple[list[Clip], list[str], list[dict]]: Clips, sorted class names, report entries
        of the rows left out.

    Raises:
        ValueError: If the class count is not ``num_classes`` or ``classes_file`` names a
            class the CSV does not have.
    """
    rows = read_vggsound_csv(csv_path)
    present = sorted({r['label'] for r in rows})
    source = str(csv_path)
    selected = set(present)
    if classes_file is not None:
        wanted = read_class_names(str(classes_file))
        unknown = sorted(set(wanted) - selected)
        if unknown:
            raise ValueError(f'{classes_file} names classes not in {csv_path}: {unknown[:10]}')
        selected = set(wanted)
        source = f'{classes_file} (selecting from {csv_path})'
    names = sorted(selected)
    check_num_classes(names, num_classes, source)
    clips, left_out = [], []
    for row in rows:
        clip = Clip(format_name(name_format, row), row['label'], row['split'])
        if row['label'] in selected:
            clips.append(clip)
        else:
            left_out.append(clip.dropped(CLASS_NOT_SELECTED))
    return clips, names, left_out


def prepare_vggsound(
    csv_path: str | Path,
    videos: str | Path,
    out: str | Path,
    name_format: str = DEFAULT_NAME_FORMAT,
    num_classes: int | None = 309,
    classes_file: str | Path | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """Prepare VGGSound (see ``docs/datasets.md``).

    Args:
        csv_path (str | Path): ``vggsound.csv``.
        videos (str | Path): Folder the ``name_format`` paths are relative to.
        out (str | Path): Output folder.
        name_format (str): File name template. Defaults to :data:`DEFAULT_NAME_FORMAT`.
        num_classes (int | None): Required class count. Defaults to 309.
        classes_file (str | Path | None): Classes to keep. Defaults to None.
        **kwargs: Options of :func:`~.prepare_dataset.prepare_dataset`.

    Returns:
        dict[str, Any]: The report.
    """
    clips, names, left_out = read_vggsound_clips(
        Path(csv_path),
        name_format,
        num_classes,
        Path(classes_file) if classes_file is not None else None,
    )
    return prepare_dataset(
        name='VGGSound',
        clips=clips,
        class_names=names,
        video_root=Path(videos),
        out=out,
        pre_dropped=left_out,
        **kwargs,
    )
