"""Which classes appear in each SynthAV clip: the multi-label targets of a presence pretraining.

A SynthAV frame shows ``1 + num_distractors`` objects of as many families, and only the sound
says which one is the clip's class. A frame classifier trained on the clip label alone learns
the objects through an ambiguous target (any of the three could be the answer). The generator
knows every object's class, so a frame can instead be labelled with all of them, as an image
with several objects is in multi-label ImageNet-style pretraining. The classes are not stored
in the data folder: every scene is drawn from ``(generator seed, clip index)`` alone, so they
are drawn again here from the configuration in the folder's ``stats.json`` (about 15 ms a clip,
no rendering), and each clip's label is checked against its list file.
"""

from __future__ import annotations

import json
import os.path as osp
import re

import numpy as np

from avssl.datasets.synthav.classes import build_classes
from avssl.datasets.synthav.config import SynthAVConfig
from avssl.datasets.synthav.scene import sample_scene

from .clip_cache import read_list

_CLIP_NAME = re.compile(r'^(?P<cls>.+)_(?P<index>\d{4})\.mp4$')


def synthav_config_of(data_root: str) -> SynthAVConfig:
    """The generator configuration recorded in ``<data_root>/stats.json``.

    Raises:
        FileNotFoundError: If ``stats.json`` is missing.
        ValueError: If it records no generator configuration (not a SynthAV folder).
    """
    path = osp.join(data_root, 'stats.json')
    if not osp.isfile(path):
        raise FileNotFoundError(f'SynthAV stats file not found: {path}')
    with open(path, encoding='utf-8') as f:
        recorded = dict(json.load(f).get('generator', {}))
    if not recorded:
        raise ValueError(f'{path} records no SynthAV generator configuration')
    recorded.pop('version', None)
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in recorded.items()}
    return SynthAVConfig(**kwargs)


def presence_targets(data_root: str, list_file: str) -> np.ndarray:
    """Multi-hot classes of every object in each clip of ``list_file``, in list order.

    Args:
        data_root (str): A SynthAV folder (``stats.json``, ``classes.txt``, the list).
        list_file (str): List file relative to ``data_root``.

    Returns:
        np.ndarray: ``(N, num_classes)`` float32, 1 where a class has an object in the clip
        (``1 + num_distractors`` ones per row; the clip's own class is always one of them).

    Raises:
        ValueError: If a file name is not a SynthAV clip name, or a clip's drawn scene disagrees
            with the label of the list (names the file): the folder and its ``stats.json`` do
            not match.
    """
    cfg = synthav_config_of(data_root)
    names = [c.name for c in build_classes(cfg.num_classes, cfg.class_offset)]
    index_of = {name: i for i, name in enumerate(names)}
    items = read_list(data_root, list_file)
    out = np.zeros((len(items), cfg.num_classes), np.float32)
    for row, (path, label) in enumerate(items):
        match = _CLIP_NAME.match(osp.basename(path))
        if match is None or match['cls'] not in index_of:
            raise ValueError(f'{path}: not a SynthAV clip name (<class>_<index>.mp4)')
        clip_index = index_of[match['cls']] * cfg.clips_per_class + int(match['index'])
        scene = sample_scene(cfg, clip_index)
        if scene.label != label:
            raise ValueError(
                f'{path}: the scene drawn from {data_root}/stats.json has label {scene.label}, '
                f'the list says {label}'
            )
        for obj in scene.objects:
            out[row, obj.label] = 1.0
    return out


def presence_recall(scores: np.ndarray, targets: np.ndarray) -> float:
    """Mean share of each clip's classes found among its top-``m`` scores (``m`` present).

    Args:
        scores (np.ndarray): ``(N, C)`` class scores.
        targets (np.ndarray): ``(N, C)`` multi-hot targets, the same number of ones per row.

    Returns:
        float: In [0, 1]; 1 when every clip's present classes are its highest scores.

    Raises:
        ValueError: If the shapes differ or the rows hold different numbers of classes.
    """
    if scores.shape != targets.shape:
        raise ValueError(f'scores {scores.shape} and targets {targets.shape} differ in shape')
    counts = targets.sum(axis=1)
    if counts.size == 0 or not np.all(counts == counts[0]) or counts[0] < 1:
        raise ValueError('presence_recall needs the same positive number of classes per clip')
    m = int(counts[0])
    top = np.argsort(-scores, axis=1)[:, :m]
    return float(np.take_along_axis(targets, top, axis=1).sum(axis=1).mean() / m)
