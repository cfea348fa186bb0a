"""Fusion that adds the video tokens where the frozen localizer hears the sound."""

from __future__ import annotations

from typing import Any

from torch import Tensor, nn

from avssl.registry import MODELS

from .source_map_pooling import SourceMapPooling
from .transformer_fusion import TransformerFusion


@MODELS.register_module()
class SourcePoolFusion(SourceMapPooling, TransformerFusion):
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

    def __init__(self, num_frames: int, top_fraction: float = 0.1, **fusion: Any) -> None:
        if fusion.get('tokens', 'cls') != 'cls':
            raise ValueError(
                "SourcePoolFusion: the fusion reads the class tokens (tokens='cls'), got "
                f'{fusion.get("tokens")!r}'
            )
        super().__init__(**fusion)
        self.init_source_pooling(num_frames, top_fraction)
        dims = int(fusion.get('video_dims', 768))
        self.source_norm = nn.LayerNorm(dims)
        self.source_proj = nn.Linear(dims, self.embed_dims)

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
        source = self.pool_source(video)
        return fused + self.source_proj(self.source_norm(source))
