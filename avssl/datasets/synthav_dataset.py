"""SynthAV: the built-in data set, generated on first use."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from avssl.registry import DATASETS

from .list_file_dataset import VideoListDataset
from .synthav import ensure_synthav


@DATASETS.register_module()
class SynthAVDataset(VideoListDataset):
    """A :class:`VideoListDataset` over a SynthAV folder that generates the folder if missing.

    With ``auto_generate`` the folder ``data_root`` is generated with ``generator_cfg`` the
    first time any process needs it: rank 0 generates (under a file lock, so concurrent jobs do
    not both generate), the other ranks wait for it. An existing complete folder is used as is.

    Args:
        ann_file (str): List file relative to ``data_root``.
        pipeline (Sequence[dict | Callable]): Data transforms.
        data_root (str): SynthAV folder. Defaults to ``'data/synthav'``.
        auto_generate (bool): Generate the folder when it is missing. Defaults to True.
        generator_cfg (dict | None): Keyword arguments of
            :func:`avssl.datasets.synthav.generate_synthav`. Defaults to None (its defaults).
        **kwargs: Forwarded to :class:`VideoListDataset`.
    """

    def __init__(
        self,
        ann_file: str,
        pipeline: Sequence[dict | Callable],
        data_root: str = 'data/synthav',
        auto_generate: bool = True,
        generator_cfg: dict | None = None,
        **kwargs: Any,
    ) -> None:
        if auto_generate:
            ensure_synthav(data_root, **(generator_cfg or {}))
        super().__init__(ann_file, pipeline=pipeline, data_root=data_root, **kwargs)
