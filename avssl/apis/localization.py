"""Audio source localisation maps of one video's frames with a trained FNAC localizer."""

from __future__ import annotations

import copy
import os
import os.path as osp
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose
from torch import nn

from avssl.models.localizers.fnac import IMAGENET_MEAN, IMAGENET_STD
from avssl.models.localizers.fnac_checkpoint import load_fnac_weights
from avssl.registry import MODELS
from avssl.utils import register_all_modules
from avssl.utils.cli import resolve_checkpoint

#: Frame sampling used when a config has no ``SampleFrames`` (the tiny configs' 8 x 8).
DEFAULT_CLIP_LEN = 8
DEFAULT_FRAME_INTERVAL = 8


@dataclass
class ASLResult:
    """Localisation maps of the frames of one clip.

    Attributes:
        frames (np.ndarray): The sampled frames, ``(k, H, W, 3)`` uint8 RGB, as decoded.
        maps (np.ndarray): The localizer's map of each frame, ``(k, h, w)`` float32 (cosine
            similarity / tau on the localizer's grid).
        frame_inds (np.ndarray): Indices of the frames in the video, ``(k,)``.
    """

    frames: np.ndarray
    maps: np.ndarray
    frame_inds: np.ndarray


def localizer_entry(cfg: Config) -> dict | None:
    """The ``model.localizer`` entry of a recognizer config (an FNAC config with
    ``checkpoint``), or None when the config has none.

    Args:
        cfg (Config): A recognizer config.

    Returns:
        dict | None: A copy of the entry.
    """
    entry = cfg.get('model', {}).get('localizer')
    return copy.deepcopy(dict(entry)) if entry else None


def init_localizer(
    config: str | os.PathLike[str] | Config | Mapping,
    checkpoint: str | None = None,
    device: str = 'cpu',
) -> nn.Module:
    """Build a frozen FNAC localizer and load its weights.

    Args:
        config (str | PathLike | Config | Mapping): An FNAC config file or object (its
            ``model``), or a model config dict such as a recognizer's ``model.localizer``
            (whose ``checkpoint`` key is used when ``checkpoint`` is None).
        checkpoint (str | None): Weights: an avssl checkpoint, a work dir, or an official FNAC
            release file. Defaults to None (the config's ``checkpoint``).
        device (str): Torch device. Defaults to ``'cpu'``.

    Returns:
        nn.Module: The localizer, frozen (eval mode, no gradients), on ``device``.

    Raises:
        ValueError: If no checkpoint is given anywhere (a random localizer means nothing).
        TypeError: If the config does not build a model with ``localization_map``.
    """
    register_all_modules(init_scope=True)
    if isinstance(config, Mapping) and not isinstance(config, Config):
        model_cfg = copy.deepcopy(dict(config))
    else:
        cfg = Config.fromfile(os.fspath(config)) if not isinstance(config, Config) else config
        model_cfg = copy.deepcopy(dict(cfg.model))
    from_cfg = model_cfg.pop('checkpoint', None)
    model_cfg.pop('config', None)  # the config that trains it (named in the recognizer's errors)
    checkpoint = checkpoint if checkpoint is not None else from_cfg
    if not checkpoint:
        raise ValueError(
            'the localizer needs weights: give --localizer-ckpt (or a checkpoint key in the '
            "config's model.localizer)"
        )
    model = MODELS.build(model_cfg)
    if not hasattr(model, 'localization_map'):
        raise TypeError(f'{type(model).__name__} is not a localizer (no localization_map)')
    load_fnac_weights(model, resolve_checkpoint(checkpoint, 'localizer checkpoint'))
    model.freeze()
    return model.to(device)


def clip_sampling(pipeline: Sequence[Mapping]) -> tuple[int, int]:
    """``(clip_len, frame_interval)`` of the first ``SampleFrames`` of a pipeline.

    Args:
        pipeline (Sequence[Mapping]): Transform configs.

    Returns:
        tuple[int, int]: The values, or :data:`DEFAULT_CLIP_LEN` and
        :data:`DEFAULT_FRAME_INTERVAL` when there is no ``SampleFrames``.
    """
    for step in pipeline:
        if str(step.get('type', '')).split('.')[-1] == 'SampleFrames':
            return int(step['clip_len']), int(step.get('frame_interval', 1))
    return DEFAULT_CLIP_LEN, DEFAULT_FRAME_INTERVAL


def localize_av(
    localizer: nn.Module,
    video: str | os.PathLike[str],
    clip_len: int = DEFAULT_CLIP_LEN,
    frame_interval: int = DEFAULT_FRAME_INTERVAL,
    duration: float = 3.0,
) -> ASLResult:
    """The localisation map of every frame of the video's centre clip.

    One clip of ``clip_len`` frames, ``frame_interval`` apart, is sampled at the centre of the
    video (``SampleFrames`` in test mode); the localizer gets the frames ImageNet-normalised and
    the raw 16 kHz waveform of ``duration`` seconds centred on the clip
    (``LoadLocalizerAudio``), the same audio for all frames.

    Args:
        localizer (nn.Module): From :func:`init_localizer`.
        video (str | PathLike): Video file with an audio track.
        clip_len (int): Frames. Defaults to 8.
        frame_interval (int): Step between frames. Defaults to 8.
        duration (float): Seconds of audio. Defaults to 3.0.

    Returns:
        ASLResult: Frames, maps and frame indices.

    Raises:
        FileNotFoundError: If the video does not exist.
        MissingAudioError: If the video has no audio track (named).
    """
    filename = os.fspath(video)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'video not found: {filename}')
    register_all_modules(init_scope=True)
    pipeline = Compose(
        [
            dict(type='AVDecordInit'),
            dict(
                type='SampleFrames',
                clip_len=clip_len,
                frame_interval=frame_interval,
                num_clips=1,
                test_mode=True,
            ),
            dict(type='AVDecordDecode'),
            dict(type='LoadLocalizerAudio', duration=duration),
        ]
    )
    results = pipeline(dict(filename=filename, start_index=0, modality='RGB'))
    frames = np.stack(results['imgs']).astype(np.uint8)
    device = next(localizer.parameters()).device
    mean = torch.tensor(IMAGENET_MEAN, device=device).view(1, 3, 1, 1)
    std = torch.tensor(IMAGENET_STD, device=device).view(1, 3, 1, 1)
    pixels = torch.from_numpy(frames).to(device).permute(0, 3, 1, 2).float()
    audio = torch.from_numpy(results['asl_audio']).to(device).float()
    with torch.no_grad():
        maps = localizer.localization_map((pixels - mean) / std, audio, len(frames))
    return ASLResult(
        frames=frames,
        maps=maps.float().cpu().numpy(),
        frame_inds=np.asarray(results['frame_inds']),
    )
