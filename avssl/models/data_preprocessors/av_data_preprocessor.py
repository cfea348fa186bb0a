"""Batch audio-visual inputs: normalise the frames as mmaction2 does, stack the audio."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import torch
from mmaction.models import ActionDataPreprocessor

from avssl.registry import MODELS

#: The inputs key that holds the frames; every other key is stacked unchanged.
IMGS_KEY = 'imgs'


def _per_key_lists(inputs: Any) -> dict[str, list[Any]] | None:
    """Return audio-visual batch inputs as ``{key: [one value per item]}``, or None.

    Two layouts reach a data preprocessor: a list of per-item dicts (``multi_branch_collate``)
    and a dict of per-key lists (mmengine's ``pseudo_collate``, which recurses into the dicts).
    Anything else (a list of tensors, a stacked tensor) is not audio-visual and gives None.
    """
    if isinstance(inputs, Mapping):
        lists = {key: list(value) for key, value in inputs.items()}
        sizes = {key: len(value) for key, value in lists.items()}
        if len(set(sizes.values())) > 1:
            raise ValueError(f'audio-visual inputs have different batch sizes per key: {sizes}')
        return lists
    if (
        isinstance(inputs, Sequence)
        and not isinstance(inputs, str)
        and len(inputs) > 0
        and all(isinstance(item, Mapping) for item in inputs)
    ):
        keys = list(inputs[0])
        for i, item in enumerate(inputs):
            if set(item) != set(keys):
                raise ValueError(
                    f'audio-visual inputs differ in keys: item {i} has {sorted(item)}, '
                    f'item 0 has {sorted(keys)}'
                )
        return {key: [item[key] for item in inputs] for key in keys}
    return None


@MODELS.register_module()
class AVDataPreprocessor(ActionDataPreprocessor):
    """mmaction2's ``ActionDataPreprocessor`` for audio-visual dict inputs.

    For the inputs that ``PackAVInputs`` produces (one dict per item with ``imgs``
    ``(V, C, T, H, W)``, ``audio`` ``(V, 1, Ta, F)`` and optionally ``asl_audio`` ``(1, N)``;
    either key of ``imgs`` and ``audio`` may be missing), every key is stacked over the batch:

    - ``imgs`` goes through the parent's ``preprocess`` (stack with padding, optional BGR to
      RGB, ``(x - mean) / std`` or a float cast, batch blending in training), exactly as
      mmaction2 treats a batch of frames: ``(B, V, C, T, H, W)``;
    - every other key (``audio`` ``(B, V, 1, Ta, F)``, ``asl_audio`` ``(B, 1, N)``, ...) is
      stacked unchanged (the audio is normalised by the pipeline) and cast to float32.

    All tensors are moved to the preprocessor's device. Tensor (non-dict) inputs go through the
    parent unchanged, so mmaction2's recognizers keep working with this preprocessor.

    Args:
        mean (Sequence[float | int] | None): Per-channel mean of the frames. Defaults to None
            (no normalisation).
        std (Sequence[float | int] | None): Per-channel standard deviation of the frames.
            Defaults to None.
        to_rgb (bool): Reverse the channel order of the frames. Defaults to False.
        to_float32 (bool): Cast the frames to float32 when not normalising. Defaults to True.
        blending (dict | None): mmaction2 batch blending (Mixup, CutMix) config. It mixes
            frames and labels only, so it is refused for training batches that carry audio.
            Defaults to None.
        format_shape (str): Layout of one view of the frames, ``'NCTHW'`` (3D),
            ``'NCHW'`` (2D) or ``'MIX2d3d'``. Defaults to ``'NCTHW'``.
    """

    def __init__(
        self,
        mean: Sequence[float | int] | None = None,
        std: Sequence[float | int] | None = None,
        to_rgb: bool = False,
        to_float32: bool = True,
        blending: dict | None = None,
        format_shape: str = 'NCTHW',
    ) -> None:
        super().__init__(
            mean=mean,
            std=std,
            to_rgb=to_rgb,
            to_float32=to_float32,
            blending=blending,
            format_shape=format_shape,
        )

    def forward_onesample(self, data: dict, training: bool = False) -> dict:
        """Preprocess one batch (the parent's ``forward`` has already moved it to the device).

        Args:
            data (dict): ``{'inputs': ..., 'data_samples': list}`` from the dataloader, with
                audio-visual dict inputs (list of per-item dicts or dict of per-key lists) or
                mmaction2's list of tensors.
            training (bool): Whether this is a training batch (enables blending). Defaults to
                False.

        Returns:
            dict: For audio-visual inputs ``{'inputs': {'imgs': (B, V, C, T, H, W), 'audio':
            (B, V, 1, Ta, F), ...}, 'data_samples': list}``; otherwise the parent's output.
        """
        per_key = _per_key_lists(data['inputs'])
        if per_key is None:
            return super().forward_onesample(data, training=training)
        data_samples = data.get('data_samples')
        batch: dict[str, torch.Tensor] = {}
        for key, values in per_key.items():
            if not all(isinstance(v, torch.Tensor) for v in values):
                kinds = sorted({type(v).__name__ for v in values})
                raise TypeError(f'audio-visual inputs[{key!r}] must be tensors, got {kinds}')
            if key == IMGS_KEY:
                continue
            shapes = {tuple(v.shape) for v in values}
            if len(shapes) > 1:
                raise ValueError(
                    f'cannot stack inputs[{key!r}] of different shapes {sorted(shapes)}'
                )
            batch[key] = torch.stack(values).float()
        if IMGS_KEY in per_key:
            if training and self.blending is not None and len(per_key) > 1:
                raise ValueError(
                    'AVDataPreprocessor: batch blending mixes the frames and labels but not '
                    f'{sorted(set(per_key) - {IMGS_KEY})}; mix audio-visual inputs in the model'
                )
            imgs, data_samples = self.preprocess(per_key[IMGS_KEY], data_samples, training)
            batch = {IMGS_KEY: imgs, **batch}
        return {'inputs': batch, 'data_samples': data_samples}
