"""Fusion of the video and audio streams by transformer encoder layers."""

from __future__ import annotations

import torch
from mmengine.model import BaseModule
from torch import nn

from avssl.registry import MODELS

#: What the neck fuses: the two class tokens, or every token of both streams.
FUSION_TOKENS: tuple[str, ...] = ('cls', 'all')


@MODELS.register_module()
class TransformerFusion(BaseModule):
    """Transformer encoder layers over the video and audio tokens; the first token is the output.

    Each stream is projected to ``embed_dims`` (a linear layer where its width differs, else
    the identity) and gets a learned modality embedding; the sequence ``[video tokens, audio
    tokens]`` runs through ``num_layers`` pre-norm encoder layers and a final LayerNorm; the
    classifier reads the first token, which is the video class token (the paper's Eq. 9;
    ``docs/method.md`` section 4.1).

    With ``tokens='cls'`` (default) the inputs are the backbones' class tokens ``(N, D)``, so
    the sequence has two tokens and the cost is negligible next to the encoders. With
    ``tokens='all'`` the backbones must return all their tokens (``output='tokens'`` on
    :class:`MixableTimeSformer` and :class:`AudioTransformer`), ``(N, 1 + L, D)`` with the
    class token first, and the neck attends over all of them (far more FLOPs).

    If only one stream is present (a video-only or audio-only network), it is fused alone.

    Args:
        video_dims (int): Width of the video tokens. Defaults to 768.
        audio_dims (int): Width of the audio tokens. Defaults to 768.
        embed_dims (int): Width of the fusion layers. Defaults to 768.
        num_layers (int): Encoder layers. Defaults to 6.
        num_heads (int): Attention heads; must divide ``embed_dims``. Defaults to 12.
        mlp_ratio (float): Hidden width of the feed-forward block relative to ``embed_dims``.
            Defaults to 4.
        dropout (float): Dropout inside the layers. Defaults to 0.
        tokens (str): ``'cls'`` or ``'all'`` (see above). Defaults to ``'cls'``.
        init_cfg (dict | list[dict] | None): mmengine initialisation config. Defaults to None.
    """

    def __init__(
        self,
        video_dims: int = 768,
        audio_dims: int = 768,
        embed_dims: int = 768,
        num_layers: int = 6,
        num_heads: int = 12,
        mlp_ratio: float = 4.0,
        dropout: float = 0.0,
        tokens: str = 'cls',
        init_cfg: dict | list[dict] | None = None,
    ) -> None:
        super().__init__(init_cfg=init_cfg)
        if tokens not in FUSION_TOKENS:
            raise ValueError(
                f'TransformerFusion: tokens must be one of {FUSION_TOKENS}, got {tokens!r}'
            )
        if num_layers < 0:
            raise ValueError(f'TransformerFusion: num_layers must be >= 0, got {num_layers}')
        if embed_dims % num_heads:
            raise ValueError(
                f'TransformerFusion: num_heads ({num_heads}) must divide embed_dims ({embed_dims})'
            )
        self.embed_dims = embed_dims
        self.tokens = tokens
        self.video_proj = (
            nn.Identity() if video_dims == embed_dims else nn.Linear(video_dims, embed_dims)
        )
        self.audio_proj = (
            nn.Identity() if audio_dims == embed_dims else nn.Linear(audio_dims, embed_dims)
        )
        self.modality_embed = nn.Parameter(torch.zeros(2, embed_dims))
        nn.init.trunc_normal_(self.modality_embed, std=0.02)
        layer = nn.TransformerEncoderLayer(
            d_model=embed_dims,
            nhead=num_heads,
            dim_feedforward=int(embed_dims * mlp_ratio),
            dropout=dropout,
            activation='gelu',
            batch_first=True,
            norm_first=True,
        )
        self.layers = (
            nn.TransformerEncoder(layer, num_layers=num_layers, enable_nested_tensor=False)
            if num_layers > 0
            else nn.Identity()
        )
        self.norm = nn.LayerNorm(embed_dims)

    def _as_tokens(self, x: torch.Tensor, name: str) -> torch.Tensor:
        expected = 2 if self.tokens == 'cls' else 3
        if x.dim() != expected:
            shape = '(N, D)' if self.tokens == 'cls' else '(N, 1 + L, D)'
            raise ValueError(
                f"TransformerFusion(tokens='{self.tokens}') expects {name} tokens {shape}, got "
                f'{tuple(x.shape)}'
                + ("; set the backbone's output='tokens'" if self.tokens == 'all' else '')
            )
        return x.unsqueeze(1) if x.dim() == 2 else x

    def forward(self, video: torch.Tensor | None, audio: torch.Tensor | None) -> torch.Tensor:
        """Fuse.

        Args:
            video (Tensor | None): ``(N, Dv)`` class tokens, or ``(N, 1 + Lv, Dv)`` tokens.
            audio (Tensor | None): ``(N, Da)`` class tokens, or ``(N, 1 + La, Da)`` tokens.

        Returns:
            Tensor: ``(N, embed_dims)``: the first token of the fused sequence.
        """
        parts = []
        if video is not None:
            parts.append(self.video_proj(self._as_tokens(video, 'video')) + self.modality_embed[0])
        if audio is not None:
            parts.append(self.audio_proj(self._as_tokens(audio, 'audio')) + self.modality_embed[1])
        if not parts:
            raise ValueError('TransformerFusion got neither a video nor an audio embedding')
        if len(parts) == 2 and parts[0].shape[0] != parts[1].shape[0]:
            raise ValueError(
                f'video ({parts[0].shape[0]}) and audio ({parts[1].shape[0]}) embeddings have '
                'different batch sizes'
            )
        x = self.layers(torch.cat(parts, dim=1))
        return self.norm(x[:, 0])
