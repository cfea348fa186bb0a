"""Parameter-free fusion: the audio class token beside the video tokens at the sound's source."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor

from avssl.registry import MODELS

from .source_map_pooling import SourceMapPooling


@MODELS.register_module()
class SourceConcatFusion(SourceMapPooling, BaseModule):
    """``[norm(a_cls), norm(v_source)] / sqrt(2)``: the features a nearest class mean reads.

    The audio class token and the mean video token at the frozen localizer's top patches
    (:meth:`SourceMapPooling.pool_source`), each L2-normalised, are concatenated and scaled
    to unit length. Nothing is learned: with frozen encoders these are the features on which
    a nearest class mean from one labeled clip per class names about three clips in four of
    SynthAV's test set (``tools/analysis/source_feature_probe.py``, ``a_cls`` + ``v_loc``),
    and a cosine classifier whose weights start as those class means
    (:class:`~avssl.models.heads.CosineHead` with
    :class:`~avssl.engine.hooks.PrototypeImprintHook`) starts as that nearest class mean.

    A stream zeroed by modality dropout contributes a zero half (its norm is clamped, not
    divided by zero), so the cosine scores read the other half alone.

    Both backbones must return all their tokens (``output='tokens'``); the video tokens are
    ``(B, 1 + N * T, D)``, patch-major (``MixableTimeSformer``).

    Args:
        num_frames (int): Frames T of the video tokens.
        video_dims (int): Width of the video tokens. Defaults to 768.
        audio_dims (int): Width of the audio tokens. Defaults to 768.
        top_fraction (float): Share of the patches of each frame that are pooled (at least
            one): those with the highest map values. Defaults to 0.1 (5 of 7 x 7).
        init_cfg (dict | None): mmengine initialisation config. Defaults to None.

    Raises:
        ValueError: If ``num_frames`` < 1, ``top_fraction`` is not in (0, 1] or a width < 1.
    """

    def __init__(
        self,
        num_frames: int,
        video_dims: int = 768,
        audio_dims: int = 768,
        top_fraction: float = 0.1,
        init_cfg: dict | None = None,
    ) -> None:
        super().__init__(init_cfg=init_cfg)
        if int(video_dims) < 1 or int(audio_dims) < 1:
            raise ValueError(
                f'SourceConcatFusion: widths must be >= 1, got video_dims={video_dims}, '
                f'audio_dims={audio_dims}'
            )
        self.init_source_pooling(num_frames, top_fraction)
        self.video_dims = int(video_dims)
        self.audio_dims = int(audio_dims)

    @property
    def embed_dims(self) -> int:
        """int: Width of the output, ``audio_dims + video_dims``."""
        return self.audio_dims + self.video_dims

    def forward(self, video: Tensor | None, audio: Tensor | None) -> Tensor:
        """Fuse.

        Args:
            video (Tensor): ``(B, 1 + N * T, Dv)`` tokens (patch-major).
            audio (Tensor): ``(B, 1 + L, Da)`` tokens.

        Returns:
            Tensor: ``(B, Da + Dv)``, audio half first, unit length unless a half is zero.

        Raises:
            ValueError: If a stream is missing or its tokens have the wrong shape or width.
            RuntimeError: If no maps are shown.
        """
        if video is None or audio is None:
            raise ValueError(
                'SourceConcatFusion fuses both streams; this network has '
                f'{"video" if video is not None else "audio" if audio is not None else "none"} '
                'only'
            )
        for name, x, dims in (('video', video, self.video_dims), ('audio', audio, self.audio_dims)):
            if x.dim() != 3 or x.shape[-1] != dims:
                raise ValueError(
                    f'SourceConcatFusion expects {name} tokens (B, 1 + L, {dims}), got '
                    f"{tuple(x.shape)}; set the backbones' output='tokens'"
                )
        parts = [
            F.normalize(audio[:, 0].float(), dim=-1),
            F.normalize(self.pool_source(video).float(), dim=-1),
        ]
        return torch.cat(parts, dim=-1).to(video.dtype) / math.sqrt(2.0)
