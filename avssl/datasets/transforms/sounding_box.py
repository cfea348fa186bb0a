"""The ground-truth box of the sounding object in the sampled frame, from ``boxes.json``."""

from __future__ import annotations

import json
import os.path as osp
from pathlib import PurePath
from typing import Any

import numpy as np

from avssl.registry import TRANSFORMS

from .base import AVTransform


def read_boxes_file(path: str) -> dict[str, dict]:
    """Read a ``boxes.json`` (format in ``docs/synthav.md``) and check its entries.

    Args:
        path (str): The file.

    Returns:
        dict[str, dict]: ``{relative video path: {'width', 'height', 'boxes'}}``.

    Raises:
        FileNotFoundError: Naming the file.
        ValueError: Naming the file and the first malformed entry.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'sounding-box file not found: {path}')
    with open(path, encoding='utf-8') as f:
        data = json.load(f)
    if not isinstance(data, dict) or not data:
        raise ValueError(f'{path}: expected a non-empty object of videos')
    for key, entry in data.items():
        if not isinstance(entry, dict) or not {'width', 'height', 'boxes'} <= set(entry):
            raise ValueError(f'{path}: entry {key!r} needs width, height and boxes')
        if not entry['boxes']:
            raise ValueError(f'{path}: entry {key!r} has no boxes')
    return data


@TRANSFORMS.register_module()
class LoadSoundingBox(AVTransform):
    """Add the sounding object's box in the sampled frame, in pixels of the resized frame.

    ``boxes.json`` holds one box per frame of each video (``[x1, y1, x2, y2]`` in pixels of a
    ``width`` x ``height`` frame, ``x2`` / ``y2`` exclusive; an entry may also hold a list of
    boxes per frame, whose union is the ground truth). The frame is the middle one of
    ``frame_inds`` (the only one for ``clip_len=1``); when the decoder reports a frame count
    other than the number of boxes, the index is mapped proportionally. The box is scaled from
    ``width`` x ``height`` to ``img_shape``, so the transform goes after ``Resize`` and must
    not follow a crop or a flip (their order cannot be undone here; it refuses them).

    The file is read once per process (per path) and shared by every item of the data set.

    Required Keys:
        - filename
        - frame_inds
        - total_frames
        - img_shape (after ``Resize``)
        - data_root (when ``boxes_file`` is relative)
    Added Keys:
        - gt_bboxes: float32 ``(K, 4)`` ``[x1, y1, x2, y2]`` in ``img_shape`` pixels (``K = 1``
          for SynthAV)
        - box_frame_index: the index into the video's box list

    Args:
        boxes_file (str): ``boxes.json``, relative to the item's data set folder
            (``results['data_root']``) or absolute. Defaults to ``'boxes.json'``.
    """

    _cache: dict[str, dict[str, dict]] = {}

    def __init__(self, boxes_file: str = 'boxes.json') -> None:
        self.boxes_file = boxes_file

    def boxes_path(self, results: dict[str, Any]) -> str:
        """The ``boxes.json`` of this item's data set."""
        if osp.isabs(self.boxes_file):
            return self.boxes_file
        if 'data_root' not in results:
            raise KeyError(
                f'LoadSoundingBox: boxes_file {self.boxes_file!r} is relative to the data set '
                'folder, but the item has no data_root (use VideoListDataset or an absolute '
                'boxes_file)'
            )
        return osp.join(results['data_root'], self.boxes_file)

    @classmethod
    def boxes_for(cls, path: str) -> dict[str, dict]:
        """The parsed file at ``path``, read on first use in this process."""
        if path not in cls._cache:
            cls._cache[path] = read_boxes_file(path)
        return cls._cache[path]

    @staticmethod
    def video_key(filename: str, data_root: str | None) -> str:
        """The key of a video in ``boxes.json``: its path relative to the data set folder."""
        rel = osp.relpath(filename, data_root) if data_root else filename
        return PurePath(rel).as_posix()

    def transform(self, results: dict[str, Any]) -> dict[str, Any]:
        """Add ``gt_bboxes`` and ``box_frame_index``."""
        self.require(results, 'filename', 'frame_inds', 'total_frames', 'img_shape')
        filename = results['filename']
        if 'crop_bbox' in results or results.get('flip', False):
            raise ValueError(
                f'LoadSoundingBox must come before any crop or flip (file {filename}); it '
                'scales the box from the original frame to img_shape only'
            )
        path = self.boxes_path(results)
        boxes = self.boxes_for(path)
        key = self.video_key(filename, results.get('data_root'))
        if key not in boxes:
            raise KeyError(f'{path} has no boxes for {key} (file {filename})')
        entry = boxes[key]
        per_frame = entry['boxes']
        inds = np.asarray(results['frame_inds']).reshape(-1)
        frame = int(inds[len(inds) // 2])
        total = int(results['total_frames'])
        if total != len(per_frame):
            frame = int(frame * len(per_frame) / max(total, 1))
        index = min(max(frame, 0), len(per_frame) - 1)
        box = np.asarray(per_frame[index], dtype=np.float32).reshape(-1, 4)
        img_h, img_w = results['img_shape'][:2]
        scale = np.array([img_w / entry['width'], img_h / entry['height']] * 2, dtype=np.float32)
        results['gt_bboxes'] = box * scale
        results['box_frame_index'] = index
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(boxes_file={self.boxes_file!r})'
