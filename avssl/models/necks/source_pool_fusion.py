"""Fusion that adds the video tokens where the frozen localizer hears the sound."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from avssl.registry import MODELS

from .transformer_fusion import TransformerFusion


@MODELS.register_module()
class SourcePoolFusion(TransformerFusion):
    """The class-token fusion plus the appearance of the sounding object, found by the localizer.

    A :class:`TransformerFusion` (``tokens='cls'``) reads the two class tokens, as in the
    method's network. Beside it, the frozen audio source localizer's map of each frame (the
    one the ASL-guided mix reads) picks the ``top_fraction`` of the video patches where the
    sound comes from; their tokens, averaged over those patches and over the frames, are
    normalised, projected and added to the fused token::

        out = fusion(v_cls, a_cls) + proj(norm(mean_t mean_{n in top_k(map_t)} v_nt))

    A class token carries everything in the clip; which of its objects makes the sound is
    what the localizer knows and the class-token fusion loses (``docs/reproduction.md``,
    "Where the sound comes from").

    The maps come from outside the network: a recognizer that owns the localizer
    (:class:`AVSemiRecognizer` with ``model.localizer``) computes them from each clip's frames
    and raw audio and shows them to the neck with :meth:`showing` while it fuses that clip
    (for token-mixed clips, the map of the clip each token came from). Without maps the
    fusion of two streams raises a clear error. With one stream (a video-only or audio-only
    network) the output is the fusion's alone.

    Both backbones must return all their tokens (``output='tokens'``); the video tokens are
    ``(B, 1 + N * T, D)``, patch-major (``MixableTimeSformer``). As a subclass, a config turns
    a ``TransformerFusion`` neck into this one by setting ``type`` and ``num_frames``.

    Args:
        num_frames (int): Frames T of the video tokens.
        top_fraction (float): Share of the patches of each frame that are pooled (at least
            one): those with the highest map values. Defaults to 0.1 (5 of 7 x 7).
        **fusion (Any): :class:`TransformerFusion`'s arguments (``tokens`` must be ``'cls'``).

    Raises:
        ValueError: If the fusion does not read class tokens, ``num_frames`` < 1 or
            ``top_fraction`` is not in (0, 1].
    """

    #: Tells the recognizer to compute the localizer's maps for every clip this neck fuses.
    needs_source_maps = True

    def __init__(self, num_frames: int, top_fraction: float = 0.1, **fusion: Any) -> None:
        if fusion.get('tokens', 'cls') != 'cls':
            raise ValueError(
                "SourcePoolFusion: the fusion reads the class tokens (tokens='cls'), got "
                f'{fusion.get("tokens")!r}'
            )
        if int(num_frames) < 1:
            raise ValueError(f'SourcePoolFusion: num_frames must be >= 1, got {num_frames}')
        if not 0 < float(top_fraction) <= 1:
            raise ValueError(
                f'SourcePoolFusion: top_fraction must be in (0, 1], got {top_fraction}'
            )
        super().__init__(**fusion)
        dims = int(fusion.get('video_dims', 768))
        self.num_frames = int(num_frames)
        self.top_fraction = float(top_fraction)
        #: ``(B, T, h, w)`` localizer maps of the clips being fused (set by :meth:`showing`).
        self.source_maps: Tensor | None = None
        self.source_norm = nn.LayerNorm(dims)
        self.source_proj = nn.Linear(dims, self.embed_dims)

    @contextmanager
    def showing(self, maps: Tensor | None) -> Iterator[None]:
        """Fuse with these maps ``(B, T, h, w)`` inside the ``with`` block; cleared after."""
        previous = self.source_maps
        self.source_maps = maps
        try:
            yield
        finally:
            self.source_maps = previous

    def grid(self, video: Tensor) -> tuple[int, int]:
        """The square patch grid ``(rows, cols)`` of video tokens ``(B, 1 + N * T, D)``."""
        tokens = video.shape[1] - 1
        if video.dim() != 3 or tokens % self.num_frames:
            raise ValueError(
                f'SourcePoolFusion expects video tokens (B, 1 + N * {self.num_frames}, D), got '
                f"{tuple(video.shape)}; set the video backbone's output='tokens'"
            )
        side = math.isqrt(tokens // self.num_frames)
        if side * side * self.num_frames != tokens:
            raise ValueError(
                f'SourcePoolFusion: {tokens // self.num_frames} patches per frame do not form a '
                'square grid'
            )
        return side, side

    def source_weights(self, maps: Tensor, grid: tuple[int, int]) -> Tensor:
        """Pooling weights ``(B, T, N)``: ``1 / k`` on each frame's top-``k`` patches, else 0.

        Args:
            maps (Tensor): ``(B, T, h, w)`` localizer maps, averaged onto ``grid`` (a map
                already on the grid is used as it is).
            grid (tuple[int, int]): The video patch grid ``(rows, cols)``.
        """
        if maps.dim() != 4 or maps.shape[1] != self.num_frames:
            raise ValueError(
                f'SourcePoolFusion: maps must be (B, {self.num_frames}, h, w), got '
                f'{tuple(maps.shape)}'
            )
        cells = F.adaptive_avg_pool2d(maps.float(), grid).flatten(2)  # (B, T, N)
        k = max(1, round(self.top_fraction * cells.shape[-1]))
        top = cells.topk(k, dim=-1).indices
        return torch.zeros_like(cells).scatter_(-1, top, 1.0 / k)

    def forward(self, video: Tensor | None, audio: Tensor | None) -> Tensor:
        """Fuse.

        Args:
            video (Tensor | None): ``(B, 1 + N * T, D)`` tokens (patch-major).
            audio (Tensor | None): ``(B, 1 + L, D)`` tokens.

        Returns:
            Tensor: ``(B, embed_dims)``.

        Raises:
            RuntimeError: With two streams and no maps shown.
            ValueError: On tokens or maps of the wrong shape.
        """
        for x in (video, audio):
            if x is not None and x.dim() != 3:
                raise ValueError(
                    f'SourcePoolFusion expects all tokens (B, 1 + L, D), got {tuple(x.shape)}; '
                    "set the backbones' output='tokens'"
                )
        fused = super().forward(*(None if x is None else x[:, 0] for x in (video, audio)))
        if video is None or audio is None:
            return fused
        if self.source_maps is None:
            raise RuntimeError(
                'SourcePoolFusion needs the localizer maps of the clips it fuses: build it '
                'inside a recognizer with a localizer (AVSemiRecognizer with model.localizer), '
                'which shows them with neck.showing(maps)'
            )
        grid = self.grid(video)
        batch, dims = video.shape[0], video.shape[-1]
        if self.source_maps.shape[0] != batch:
            raise ValueError(
                f'SourcePoolFusion: maps for {self.source_maps.shape[0]} clips, tokens for {batch}'
            )
        weights = self.source_weights(self.source_maps.to(video.device), grid)
        patches = video[:, 1:].reshape(batch, -1, self.num_frames, dims)  # (B, N, T, D)
        source = torch.einsum('btn,bntd->bd', weights.to(patches.dtype), patches)
        source = source / self.num_frames
        return fused + self.source_proj(self.source_norm(source))
