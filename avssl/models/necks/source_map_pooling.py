"""Pooling of the video tokens where the frozen localizer hears the sound (shared by necks)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

import torch
import torch.nn.functional as F
from torch import Tensor


class SourceMapPooling:
    """Mixin of the necks that average the video tokens at the localizer's top patches.

    The frozen audio source localizer's map of each frame (the one the ASL-guided mix reads)
    picks the ``top_fraction`` of the video patches where the sound comes from; their tokens
    are averaged over those patches and over the frames. The maps come from outside the
    network: a recognizer that owns the localizer (:class:`AVSemiRecognizer` with
    ``model.localizer``) sees ``needs_source_maps`` and shows each clip's maps with
    :meth:`showing` while the neck fuses that clip.

    A subclass calls :meth:`init_source_pooling` in its ``__init__`` and
    :meth:`pool_source` in its ``forward``.
    """

    #: Tells the recognizer to compute the localizer's maps for every clip this neck fuses.
    needs_source_maps = True
    num_frames: int
    top_fraction: float
    #: ``(B, T, h, w)`` localizer maps of the clips being fused (set by :meth:`showing`).
    source_maps: Tensor | None

    def init_source_pooling(self, num_frames: int, top_fraction: float) -> None:
        """Check and store the pooling's settings.

        Raises:
            ValueError: If ``num_frames`` < 1 or ``top_fraction`` is not in (0, 1].
        """
        name = type(self).__name__
        if int(num_frames) < 1:
            raise ValueError(f'{name}: num_frames must be >= 1, got {num_frames}')
        if not 0 < float(top_fraction) <= 1:
            raise ValueError(f'{name}: top_fraction must be in (0, 1], got {top_fraction}')
        self.num_frames = int(num_frames)
        self.top_fraction = float(top_fraction)
        self.source_maps = None

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
        name = type(self).__name__
        tokens = video.shape[1] - 1
        if video.dim() != 3 or tokens % self.num_frames:
            raise ValueError(
                f'{name} expects video tokens (B, 1 + N * {self.num_frames}, D), got '
                f"{tuple(video.shape)}; set the video backbone's output='tokens'"
            )
        side = math.isqrt(tokens // self.num_frames)
        if side * side * self.num_frames != tokens:
            raise ValueError(
                f'{name}: {tokens // self.num_frames} patches per frame do not form a square grid'
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
                f'{type(self).__name__}: maps must be (B, {self.num_frames}, h, w), got '
                f'{tuple(maps.shape)}'
            )
        cells = F.adaptive_avg_pool2d(maps.float(), grid).flatten(2)  # (B, T, N)
        k = max(1, round(self.top_fraction * cells.shape[-1]))
        top = cells.topk(k, dim=-1).indices
        return torch.zeros_like(cells).scatter_(-1, top, 1.0 / k)

    def pool_source(self, video: Tensor) -> Tensor:
        """The mean video token ``(B, D)`` at the shown maps' top patches, over the frames.

        Args:
            video (Tensor): ``(B, 1 + N * T, D)`` tokens (patch-major).

        Raises:
            RuntimeError: If no maps are shown.
            ValueError: On tokens or maps of the wrong shape, or maps for another batch size.
        """
        name = type(self).__name__
        if self.source_maps is None:
            raise RuntimeError(
                f'{name} needs the localizer maps of the clips it fuses: build it inside a '
                'recognizer with a localizer (AVSemiRecognizer with model.localizer), which '
                'shows them with neck.showing(maps)'
            )
        grid = self.grid(video)
        batch, dims = video.shape[0], video.shape[-1]
        if self.source_maps.shape[0] != batch:
            raise ValueError(
                f'{name}: maps for {self.source_maps.shape[0]} clips, tokens for {batch}'
            )
        weights = self.source_weights(self.source_maps.to(video.device), grid)
        patches = video[:, 1:].reshape(batch, -1, self.num_frames, dims)  # (B, N, T, D)
        source = torch.einsum('btn,bntd->bd', weights.to(patches.dtype), patches)
        return source / self.num_frames
