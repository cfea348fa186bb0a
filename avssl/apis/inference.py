"""Recognise the action in one video file with a trained avssl model.

``init_recognizer`` builds the model of a config and loads a checkpoint; ``inference_av`` runs
the config's test pipeline (``test_dataloader.dataset.pipeline``) on a video file and returns
the top-k classes with their scores.
"""

from __future__ import annotations

import copy
import os
import os.path as osp
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.runner import load_checkpoint
from torch import nn

from avssl.datasets.list_file_dataset import read_class_names
from avssl.datasets.media_errors import MissingAudioError
from avssl.registry import MODELS
from avssl.utils import register_all_modules
from avssl.utils.cli import check_cfg_options, resolve_checkpoint

#: Transforms that only load or augment audio; dropped from the pipeline of a video-only model.
AUDIO_ONLY_TRANSFORMS = ('LoadAudioWindow', 'LoadLocalizerAudio', 'SpecAugment')


class ClassScore(NamedTuple):
    """One predicted class.

    Attributes:
        label (int): Class index.
        name (str): Class name (``classes.txt``), or the index as text when there is none.
        score (float): The model's score (a probability for ``average_clips='prob'`` heads).
    """

    label: int
    name: str
    score: float


@dataclass
class AVPrediction:
    """The result of :func:`inference_av`.

    Attributes:
        filename (str): The video.
        scores (torch.Tensor): Scores of every class, ``(num_classes,)``, on the CPU.
        topk (list[ClassScore]): The ``k`` best classes, best first.
    """

    filename: str
    scores: torch.Tensor
    topk: list[ClassScore]


def load_config(
    config: str | os.PathLike[str] | Config, cfg_options: Mapping | None = None
) -> Config:
    """Load a config file (or copy a Config) and apply ``cfg_options``.

    Args:
        config (str | PathLike | Config): Config file or object.
        cfg_options (Mapping | None): ``--cfg-options`` style overrides (keys checked with
            :func:`~avssl.utils.cli.check_cfg_options`). Defaults to None.

    Returns:
        Config: The config.
    """
    cfg = Config.fromfile(os.fspath(config)) if not isinstance(config, Config) else config.copy()
    if cfg_options:
        check_cfg_options(cfg, cfg_options)
        cfg.merge_from_dict(dict(cfg_options))
    return cfg


def _test_dataset_cfg(cfg: Config) -> Mapping[str, Any]:
    loader = cfg.get('test_dataloader')
    if not loader or 'dataset' not in loader or 'pipeline' not in loader['dataset']:
        raise KeyError(
            f'{cfg.filename}: inference needs test_dataloader.dataset.pipeline in the config'
        )
    return loader['dataset']


def config_class_names(cfg: Config) -> list[str] | None:
    """Class names from ``classes.txt`` in the test data set's folder, if that file exists.

    Args:
        cfg (Config): A recognizer config.

    Returns:
        list[str] | None: The names, or None when the config names no readable class list.
    """
    dataset = _test_dataset_cfg(cfg)
    classes_file = dataset.get('classes_file', 'classes.txt')
    if not classes_file:
        return None
    path = osp.join(dataset.get('data_root', '') or '', classes_file)
    return read_class_names(path) if osp.isfile(path) else None


def model_modalities(model: nn.Module) -> tuple[str, ...]:
    """The inputs a recognizer uses: ``('video',)``, ``('audio',)`` or both.

    Args:
        model (nn.Module): An ``AVRecognizer`` or an ``AVSemiRecognizer`` (its student).

    Returns:
        tuple[str, ...]: The modalities; ``('video', 'audio')`` for models that do not say.
    """
    network = getattr(model, 'student', model)
    return tuple(getattr(network, 'modalities', ('video', 'audio')))


def video_only_pipeline(pipeline: Sequence[Mapping]) -> list[dict]:
    """A copy of a test pipeline that loads no audio (for video-only models).

    ``AVDecordInit`` and ``PackAVInputs`` get ``with_audio=False``; the audio transforms
    (:data:`AUDIO_ONLY_TRANSFORMS`) are dropped. A silent video then works with a video-only
    model.

    Args:
        pipeline (Sequence[Mapping]): Transform configs.

    Returns:
        list[dict]: The new transform configs.
    """
    out = []
    for step in pipeline:
        kind = str(step.get('type', '')).split('.')[-1]
        if kind in AUDIO_ONLY_TRANSFORMS:
            continue
        step = dict(copy.deepcopy(step))
        if kind in ('AVDecordInit', 'PackAVInputs'):
            step['with_audio'] = False
        out.append(step)
    return out


def init_recognizer(
    config: str | os.PathLike[str] | Config,
    checkpoint: str | None = None,
    device: str = 'cpu',
    cfg_options: Mapping | None = None,
    strict: bool = True,
) -> nn.Module:
    """Build the model of a recognizer config and load its weights.

    The model keeps its config as ``model.cfg`` and, when the test data set's folder has a
    ``classes.txt``, the class names in ``model.dataset_meta['classes']``.

    Args:
        config (str | PathLike | Config): Config file or object (``AVRecognizer`` or
            ``AVSemiRecognizer`` model).
        checkpoint (str | None): Checkpoint file or training work dir (its last checkpoint;
            :func:`~avssl.utils.cli.resolve_checkpoint`). None keeps the initial weights.
            Defaults to None.
        device (str): Torch device. Defaults to ``'cpu'``.
        cfg_options (Mapping | None): Config overrides. Defaults to None.
        strict (bool): Require the checkpoint's keys to match the model's exactly.
            Defaults to True.

    Returns:
        nn.Module: The model in eval mode on ``device``.

    Raises:
        FileNotFoundError: If the checkpoint does not exist (named).
        ValueError: If ``strict`` and the checkpoint's weights do not fit the model (the file
            and the keys are named).
        KeyError: If the config has no test pipeline.
    """
    register_all_modules(init_scope=True)
    cfg = load_config(config, cfg_options)
    _test_dataset_cfg(cfg)
    model = MODELS.build(cfg.model)
    if checkpoint is not None:
        path = resolve_checkpoint(checkpoint, 'checkpoint')
        try:
            load_checkpoint(model, path, map_location='cpu', strict=strict, logger='silent')
        except RuntimeError as exc:  # mmengine lists the missing / unexpected / resized keys
            raise ValueError(
                f'checkpoint {path} does not fit the model of the config: {exc}'
            ) from None
    model.cfg = cfg
    names = config_class_names(cfg)
    if names is not None:
        model.dataset_meta = {'classes': names}
    return model.to(device).eval()


def inference_av(
    model: nn.Module,
    video: str | os.PathLike[str],
    topk: int = 5,
    pipeline: Sequence[Mapping] | None = None,
) -> AVPrediction:
    """Predict the classes of one video with its audio track.

    The config's test pipeline (``model.cfg.test_dataloader.dataset.pipeline``, or
    ``pipeline``) is run on the file with the test data set's ``data_root`` (where
    ``LoadAudioWindow`` finds ``stats.json``); the model scores it with ``test_step`` (several
    clips and crops averaged, as in testing).

    Args:
        model (nn.Module): From :func:`init_recognizer`.
        video (str | PathLike): Video file.
        topk (int): Classes to return. Defaults to 5.
        pipeline (Sequence[Mapping] | None): Transform configs instead of the config's test
            pipeline. Defaults to None.

    Returns:
        AVPrediction: Scores and the top-k classes.

    Raises:
        FileNotFoundError: If the video does not exist.
        MissingAudioError: If the model uses audio and the video has no audio track (named).
        ValueError: If ``classes.txt`` does not list as many classes as the model scores.
    """
    filename = os.fspath(video)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'video not found: {filename}')
    cfg = model.cfg
    dataset = _test_dataset_cfg(cfg)
    steps = list(pipeline if pipeline is not None else dataset['pipeline'])
    modalities = model_modalities(model)
    if 'audio' not in modalities:
        steps = video_only_pipeline(steps)
    data = dict(
        filename=filename,
        start_index=0,
        modality='RGB',
        data_root=dataset.get('data_root', '') or '',
    )
    try:
        item = Compose(copy.deepcopy(steps))(data)
    except MissingAudioError:
        raise MissingAudioError(
            f'{filename} has no audio track, but the model uses {"+".join(modalities)}: give a '
            'video with sound (or use a video-only model)'
        ) from None
    with torch.no_grad():
        sample = model.test_step(pseudo_collate([item]))[0]
    scores = sample.pred_scores.item.detach().float().cpu().reshape(-1)
    names = (getattr(model, 'dataset_meta', None) or {}).get('classes')
    if names is not None and len(names) != scores.numel():
        raise ValueError(
            f'the class list of the config ({len(names)} classes in classes.txt under '
            f'{dataset.get("data_root")}) does not match the model ({scores.numel()} classes)'
        )
    k = min(topk, scores.numel())
    values, labels = scores.topk(k)
    top = [
        ClassScore(int(i), names[int(i)] if names is not None else str(int(i)), float(v))
        for v, i in zip(values.tolist(), labels.tolist(), strict=True)
    ]
    return AVPrediction(filename=filename, scores=scores, topk=top)
