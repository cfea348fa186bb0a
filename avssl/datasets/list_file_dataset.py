"""A video data set read from a list file, checked when it is built."""

from __future__ import annotations

import os.path as osp
from collections.abc import Callable, Sequence
from typing import Any

from mmaction.datasets import BaseActionDataset

from avssl.registry import DATASETS


class DatasetFileError(ValueError):
    """A data set file (list, class list, video) is missing or malformed; the message names it."""


def read_class_names(path: str) -> list[str]:
    """Read ``classes.txt``: one class name per line, line ``i`` is label ``i``.

    Args:
        path (str): Path of the class list.

    Returns:
        list[str]: Class names.

    Raises:
        DatasetFileError: If the file is missing, empty or repeats a name.
    """
    if not osp.isfile(path):
        raise DatasetFileError(f'class list not found: {path}')
    with open(path, encoding='utf-8') as f:
        names = [line.strip() for line in f if line.strip()]
    if not names:
        raise DatasetFileError(f'class list is empty: {path}')
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise DatasetFileError(f'class list {path} repeats the names {dup}')
    return names


@DATASETS.register_module()
class VideoListDataset(BaseActionDataset):
    """Videos listed as ``relative/path label`` lines, validated at construction.

    The format is the one every avssl data set folder uses (``train.txt``, ``val.txt``,
    ``test.txt``, ``train_{labeled,unlabeled}_{k}shot.txt``; see ``docs/datasets.md``). Unlike
    mmaction2's ``VideoDataset`` it fails at build time, naming the file and line, when the list
    is missing or empty, a line is malformed, a label is out of range, or a listed video is
    missing, instead of failing (or silently skipping) in a worker much later.

    Args:
        ann_file (str): List file, relative to ``data_root`` unless absolute.
        pipeline (Sequence[dict | Callable]): Data transforms.
        data_root (str): Data set folder. Defaults to ''.
        data_prefix (dict): ``dict(video=PREFIX)``: folder the listed paths are relative to,
            itself relative to ``data_root``. Defaults to ``dict(video='')``.
        classes_file (str | None): Class list (``classes.txt``) relative to ``data_root``;
            gives the class names and ``num_classes``. Defaults to ``'classes.txt'``; ``None``
            to use ``num_classes`` alone.
        num_classes (int | None): Number of classes when there is no class list; if both are
            given they must agree. Defaults to None.
        check_files (bool): Check that every listed video exists. Defaults to True.
        test_mode (bool): Build a validation/test set. Defaults to False.
        **kwargs: Forwarded to :class:`mmaction.datasets.BaseActionDataset`.
    """

    def __init__(
        self,
        ann_file: str,
        pipeline: Sequence[dict | Callable],
        data_root: str = '',
        data_prefix: dict | None = None,
        classes_file: str | None = 'classes.txt',
        num_classes: int | None = None,
        check_files: bool = True,
        test_mode: bool = False,
        **kwargs: Any,
    ) -> None:
        self.check_files = check_files
        metainfo = dict(kwargs.pop('metainfo', None) or {})
        if classes_file is not None:
            names = read_class_names(
                classes_file if osp.isabs(classes_file) else osp.join(data_root, classes_file)
            )
            if num_classes is not None and num_classes != len(names):
                raise DatasetFileError(
                    f'num_classes={num_classes} but {classes_file} lists {len(names)} classes'
                )
            num_classes = len(names)
            metainfo['classes'] = tuple(names)
        if num_classes is None:
            raise DatasetFileError(f'{ann_file}: give classes_file or num_classes')
        self.num_classes_checked = num_classes
        super().__init__(
            ann_file,
            pipeline=list(pipeline),
            data_root=data_root,
            data_prefix=data_prefix if data_prefix is not None else dict(video=''),
            num_classes=num_classes,
            test_mode=test_mode,
            metainfo=metainfo,
            **kwargs,
        )

    def load_data_list(self) -> list[dict]:
        """Read and check the list file.

        Returns:
            list[dict]: One dict per line with ``filename`` (absolute or data-root based path),
            ``label`` (int) and ``data_root`` (the data set folder, where per-data-set files
            such as ``stats.json`` live).

        Raises:
            DatasetFileError: Missing/empty list, malformed line, label out of range or missing
                video; the message names the list file (and line) or the video.
        """
        path = self.ann_file
        if not osp.isfile(path):
            raise DatasetFileError(f'list file not found: {path}')
        prefix = self.data_prefix.get('video', '')
        data_list: list[dict] = []
        with open(path, encoding='utf-8') as f:
            for lineno, raw in enumerate(f, start=1):
                line = raw.strip()
                if not line:
                    continue
                parts = line.rsplit(maxsplit=1)
                if len(parts) != 2:
                    raise DatasetFileError(
                        f'{path}:{lineno}: expected "relative/path label", got {line!r}'
                    )
                rel, label_text = parts
                try:
                    label = int(label_text)
                except ValueError:
                    raise DatasetFileError(
                        f'{path}:{lineno}: label {label_text!r} is not an integer'
                    ) from None
                if not 0 <= label < self.num_classes_checked:
                    raise DatasetFileError(
                        f'{path}:{lineno}: label {label} out of range '
                        f'[0, {self.num_classes_checked})'
                    )
                filename = osp.join(prefix, rel) if prefix else rel
                if self.check_files and not osp.isfile(filename):
                    raise DatasetFileError(f'{path}:{lineno}: video not found: {filename}')
                data_list.append(dict(filename=filename, label=label, data_root=self.data_root))
        if not data_list:
            raise DatasetFileError(f'list file is empty: {path}')
        return data_list
