"""Pack frames, audio features and the localizer's audio into one model input."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from mmaction.structures import ActionDataSample
from mmengine.structures import LabelData

from avssl.registry import TRANSFORMS

from .base import AVTransform


@TRANSFORMS.register_module()
class PackAVInputs(AVTransform):
    """Pack an audio-visual sample: ``{'inputs': {...}, 'data_samples': ActionDataSample}``.

    ``inputs`` holds ``imgs`` ``(V, C, T, H, W)`` (after ``FormatShape('NCTHW')``), ``audio``
    ``(V, 1, Ta, F)`` and, when present, ``asl_audio`` ``(num_clips, N)``. At test time the
    frames have ``V = num_crops * num_clips`` views in crop-major order (mmaction2's
    ``FormatShape``), while the audio has one window per clip: it is repeated over the crops so
    that view ``v`` of the frames and of the audio come from the same clip ``v % num_clips``.

    Required Keys:
        - imgs (when ``with_imgs``)
        - audio (when ``with_audio``)
        - label (optional), num_clips
    Added Keys:
        - inputs, data_samples (everything else is dropped)

    Args:
        with_imgs (bool): Pack the frames. Defaults to True.
        with_audio (bool): Pack the audio features. Defaults to True.
        extra_keys (Sequence[str]): Further array keys to pack into ``inputs`` when present.
            Defaults to ``('asl_audio',)``.
        meta_keys (Sequence[str]): Keys copied into the data sample's metainfo when present.
        index_key (str | None): If set, ``results['sample_idx']`` (the item's position in its
            data set) is stored in the metainfo under this name; the unlabeled pipelines use
            ``'unlabeled_index'``, which the threshold modules key their state by.
    """

    def __init__(
        self,
        with_imgs: bool = True,
        with_audio: bool = True,
        extra_keys: Sequence[str] = ('asl_audio',),
        meta_keys: Sequence[str] = ('filename', 'img_shape', 'num_clips', 'clip_len'),
        index_key: str | None = None,
    ) -> None:
        if not (with_imgs or with_audio):
            raise ValueError('PackAVInputs needs with_imgs or with_audio')
        self.with_imgs = with_imgs
        self.with_audio = with_audio
        self.extra_keys = tuple(extra_keys)
        self.meta_keys = tuple(meta_keys)
        self.index_key = index_key

    def transform(self, results: dict[str, Any]) -> dict[str, Any]:
        """Pack ``results``."""
        inputs: dict[str, torch.Tensor] = {}
        num_views = None
        if self.with_imgs:
            self.require(results, 'imgs')
            imgs = torch.from_numpy(np.ascontiguousarray(results['imgs']))
            inputs['imgs'] = imgs
            num_views = imgs.shape[0]
        if self.with_audio:
            self.require(results, 'audio')
            audio = torch.from_numpy(np.ascontiguousarray(results['audio']))
            if num_views is not None and audio.shape[0] != num_views:
                if num_views % audio.shape[0]:
                    raise ValueError(
                        f'{results.get("filename")}: {num_views} frame views cannot be paired '
                        f'with {audio.shape[0]} audio windows'
                    )
                audio = audio.repeat(num_views // audio.shape[0], 1, 1, 1)
            inputs['audio'] = audio
        for key in self.extra_keys:
            if key in results:
                inputs[key] = torch.from_numpy(np.ascontiguousarray(results[key]))
        sample = ActionDataSample()
        if 'label' in results:
            label = torch.as_tensor(results['label'], dtype=torch.long).reshape(-1)
            sample.gt_labels = LabelData(item=label)
        meta = {k: results[k] for k in self.meta_keys if k in results}
        if self.index_key is not None:
            self.require(results, 'sample_idx')
            meta[self.index_key] = int(results['sample_idx'])
        sample.set_metainfo(meta)
        return {'inputs': inputs, 'data_samples': sample}

    def __repr__(self) -> str:
        return (
            f'{self.__class__.__name__}(with_imgs={self.with_imgs}, '
            f'with_audio={self.with_audio}, extra_keys={self.extra_keys}, '
            f'index_key={self.index_key!r})'
        )
