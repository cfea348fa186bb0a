"""mmaction2's TimeSformer with its forward split at the patch embedding, for token mixing.

``forward(x) == encode(embed(x))``: :meth:`MixableTimeSformer.embed` runs only the patch
embedding and returns per-frame tokens ``(B, T, N, D)``; :meth:`MixableTimeSformer.encode`
runs everything the parent's forward does after it (class token, position and time
embeddings, dropout, transformer layers, final norm). A token mixer works in between, before
any embedding is added, as SVFormer mixes. The layers, key names and parameter count are the
parent's (121,258,752 parameters for ViT-B/16 at 8 x 224 x 224, divided space-time attention).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import torch
from mmaction.models.backbones.timesformer import TimeSformer
from mmengine.logging import print_log
from mmengine.model.weight_init import trunc_normal_
from torch import Tensor

from avssl.registry import MODELS

from .vit_checkpoint import LoadReport, load_checkpoint_file, load_converted_state_dict
from .vit_to_timesformer import convert_vit_to_timesformer

#: Converter that turns a timm ImageNet ViT file into the format ``pretrained`` expects.
CONVERTER_TOOL = 'tools/model_converters/vit_to_timesformer.py'


@MODELS.register_module()
class MixableTimeSformer(TimeSformer):
    """TimeSformer whose forward is split into :meth:`embed` and :meth:`encode`.

    Args:
        num_frames (int): Frames T per clip; inputs must have exactly T frames.
        img_size (int | tuple[int, int]): Frame size (H, W) of the position embedding.
        patch_size (int): Side p of the square patches.
        pretrained (str | os.PathLike | None): LOCAL file, either a timm image ViT (ImageNet
            weights, or the SynthAV-pretrained tiny ViT shipped in ``checkpoints/``), converted
            in memory by :func:`~.vit_to_timesformer.convert_vit_to_timesformer`, or a file
            already in the converted TimeSformer format (the output of
            ``tools/model_converters/vit_to_timesformer.py``: mmaction2 key names); either may
            be wrapped under ``state_dict`` / ``model`` and prefixed with ``module.`` /
            ``backbone.``. Loaded by :meth:`init_weights`; nothing is read at construction and
            nothing is downloaded. Loading fails with a ``ValueError`` naming
            the file when fewer than half of the backbone's tensors are found or a shape
            differs. Defaults to None.
        embed_dims (int): Token width D. Defaults to 768.
        num_heads (int): Attention heads. Defaults to 12.
        num_transformer_layers (int): Depth. Defaults to 12.
        in_channels (int): Input channels C. Defaults to 3.
        dropout_ratio (float): Dropout after the position and time embeddings. Defaults to 0.
        transformer_layers (dict | list[dict] | None): mmcv layer-sequence config, as in the
            parent. Defaults to None (the parent's layers for ``attention_type``).
        attention_type (str): ``'divided_space_time'``, ``'space_only'`` or
            ``'joint_space_time'``. Defaults to ``'divided_space_time'``.
        norm_cfg (dict): Final norm config. Defaults to ``dict(type='LN', eps=1e-6)``.
        output (str): ``'cls'`` returns the normalised class token ``(B, D)``; ``'tokens'``
            all normalised tokens ``(B, 1 + L, D)``, class token first (``L = T * N``, or
            ``N`` for ``'space_only'``), for a fusion neck over all tokens. Defaults to
            ``'cls'``.
        **kwargs: Passed to the parent.
    """

    def __init__(
        self,
        num_frames: int,
        img_size: int | tuple[int, int],
        patch_size: int,
        pretrained: str | os.PathLike[str] | None = None,
        embed_dims: int = 768,
        num_heads: int = 12,
        num_transformer_layers: int = 12,
        in_channels: int = 3,
        dropout_ratio: float = 0.0,
        transformer_layers: dict | list[dict] | None = None,
        attention_type: str = 'divided_space_time',
        norm_cfg: dict | None = None,
        output: str = 'cls',
        **kwargs,
    ) -> None:
        if output not in ('cls', 'tokens'):
            raise ValueError(
                f"MixableTimeSformer: output must be 'cls' or 'tokens', got {output!r}"
            )
        if pretrained is not None and not isinstance(pretrained, str | os.PathLike):
            raise TypeError(
                f'MixableTimeSformer: pretrained must be a local file path or None, got '
                f'{pretrained!r}'
            )
        if attention_type not in self.supported_attention_types:
            raise ValueError(
                f'MixableTimeSformer: attention_type must be one of '
                f'{self.supported_attention_types}, got {attention_type!r}'
            )
        super().__init__(
            num_frames=num_frames,
            img_size=img_size,
            patch_size=patch_size,
            pretrained=os.fspath(pretrained) if pretrained is not None else None,
            embed_dims=embed_dims,
            num_heads=num_heads,
            num_transformer_layers=num_transformer_layers,
            in_channels=in_channels,
            dropout_ratio=dropout_ratio,
            transformer_layers=transformer_layers,
            attention_type=attention_type,
            norm_cfg=norm_cfg if norm_cfg is not None else dict(type='LN', eps=1e-6),
            **kwargs,
        )
        self.in_channels = in_channels
        self.output = output

    @property
    def patch_size(self) -> tuple[int, int]:
        """tuple[int, int]: Patch size ``(ph, pw)``."""
        return tuple(self.patch_embed.patch_size)

    @property
    def patch_grid(self) -> tuple[int, int]:
        """tuple[int, int]: Configured token grid ``(H / ph, W / pw)`` of one frame."""
        (h, w), (ph, pw) = self.patch_embed.img_size, self.patch_embed.patch_size
        return h // ph, w // pw

    @property
    def num_patches(self) -> int:
        """int: Tokens per frame N (without the class token)."""
        return self.patch_embed.num_patches

    def grid(self, x_shape: Sequence[int]) -> tuple[int, int, int]:
        """Token grid of an input: ``(T, H / ph, W / pw)``.

        Args:
            x_shape (Sequence[int]): Input shape ``(B, C, T, H, W)`` (or ``(..., C, T, H, W)``).

        Returns:
            tuple[int, int, int]: ``(T, H', W')``; ``N = H' * W'`` tokens per frame.

        Raises:
            ValueError: If the shape has fewer than 4 dims or H, W are not multiples of the
                patch size.
        """
        if len(x_shape) < 4:
            raise ValueError(f'grid: expected (..., C, T, H, W), got {tuple(x_shape)}')
        t, h, w = (int(s) for s in x_shape[-3:])
        ph, pw = self.patch_size
        if h % ph or w % pw:
            raise ValueError(
                f'grid: frame size ({h}, {w}) is not a multiple of the patch size ({ph}, {pw})'
            )
        return t, h // ph, w // pw

    def _check_input(self, x: Tensor) -> None:
        """Raise a ``ValueError`` naming the shapes unless ``x`` is ``(B, C, T, H, W)``."""
        expected = (self.in_channels, self.num_frames, *self.patch_embed.img_size)
        if not isinstance(x, Tensor) or x.dim() != 5 or tuple(x.shape[1:]) != expected:
            got = tuple(x.shape) if isinstance(x, Tensor) else type(x).__name__
            raise ValueError(
                f'MixableTimeSformer expects clips of shape (B, {", ".join(map(str, expected))}) '
                f'= (batch, channels, frames, height, width), got {got}'
            )

    def _check_tokens(self, tokens: Tensor) -> None:
        """Raise a ``ValueError`` unless ``tokens`` is ``(B, T, N, D)`` for this model."""
        expected = (self.num_frames, self.num_patches, self.embed_dims)
        if not isinstance(tokens, Tensor) or tokens.dim() != 4 or tokens.shape[1:] != expected:
            got = tuple(tokens.shape) if isinstance(tokens, Tensor) else type(tokens).__name__
            raise ValueError(
                f'MixableTimeSformer.encode expects tokens of shape '
                f'(B, {", ".join(map(str, expected))}) = (batch, frames, patches, dims), got {got}'
            )

    def embed(self, x: Tensor) -> Tensor:
        """Patch-embed every frame (nothing else: no class token, no embeddings).

        Args:
            x (Tensor): Clips, shape ``(B, C, T, H, W)``.

        Returns:
            Tensor: Tokens ``(B, T, N, D)``, ``N = (H / p) * (W / p)`` in row-major order.
        """
        self._check_input(x)
        batch, frames = x.shape[0], x.shape[2]
        tokens = self.patch_embed(x)  # (B * T, N, D), frames of a clip adjacent
        return tokens.reshape(batch, frames, *tokens.shape[1:])

    def encode(self, tokens: Tensor) -> Tensor:
        """Everything the parent's forward does after the patch embedding.

        Class token, position embedding and dropout per frame; time embedding and dropout per
        token position (not for ``'space_only'``); the transformer layers; for
        ``'space_only'`` the mean over frames; the final norm.

        Args:
            tokens (Tensor): Patch tokens ``(B, T, N, D)`` (from :meth:`embed`, possibly mixed).

        Returns:
            Tensor: The normalised class token ``(B, D)`` (``output='cls'``) or all normalised
            tokens ``(B, 1 + L, D)`` (``output='tokens'``).
        """
        self._check_tokens(tokens)
        batch, frames, patches, dims = tokens.shape
        x = tokens.reshape(batch * frames, patches, dims)
        cls_tokens = self.cls_token.expand(x.shape[0], -1, -1)
        x = torch.cat((cls_tokens, x), dim=1) + self.pos_embed  # (B * T, 1 + N, D)
        x = self.drop_after_pos(x)

        if self.attention_type != 'space_only':
            # As the parent: the class token of the sequence is row 0 of the first B rows.
            cls_tokens = x[:batch, 0, :].unsqueeze(1)  # (B, 1, D)
            x = x[:, 1:, :].reshape(batch, frames, patches, dims).transpose(1, 2)
            x = self.drop_after_time(x + self.time_embed.unsqueeze(1))  # (B, N, T, D)
            x = torch.cat((cls_tokens, x.reshape(batch, patches * frames, dims)), dim=1)

        x = self.transformer_layers(x, None, None)

        if self.attention_type == 'space_only':
            x = x.view(-1, self.num_frames, *x.shape[-2:]).mean(dim=1)  # (B, 1 + N, D)

        x = self.norm(x)
        return x[:, 0] if self.output == 'cls' else x

    def forward(self, x: Tensor) -> Tensor:
        """Encode clips: ``encode(embed(x))``.

        Args:
            x (Tensor): Clips, shape ``(B, C, T, H, W)``.

        Returns:
            Tensor: As :meth:`encode`.
        """
        return self.encode(self.embed(x))

    def init_weights(self, pretrained: str | os.PathLike[str] | None = None) -> None:
        """Initialise as the parent does, then load ``pretrained`` (a local converted file).

        The class token and position embedding get a truncated normal (std 0.02), as in the
        parent; everything else keeps its construction-time initialisation (e.g. the temporal
        attention's ``temporal_fc`` stays zero). Then the file is loaded with
        :meth:`load_pretrained`.

        Args:
            pretrained (str | os.PathLike | None): Overrides the constructor's ``pretrained``
                (and replaces it). Defaults to None.
        """
        trunc_normal_(self.pos_embed, std=0.02)
        trunc_normal_(self.cls_token, std=0.02)
        if pretrained is not None:
            self.pretrained = os.fspath(pretrained)
        if self.pretrained is not None:
            self.load_pretrained(self.pretrained)

    def load_pretrained(self, path: str | os.PathLike[str]) -> LoadReport:
        """Load a local timm image-ViT file or a file in the converted TimeSformer format.

        A file with timm block keys (``blocks.{i}.*``) is converted in memory exactly as the
        offline converter tool does (temporal attention copied from the spatial one, position
        grid resampled to this backbone's, extra blocks dropped), then loaded.

        Args:
            path (str | os.PathLike): The file.

        Returns:
            LoadReport: Loaded, missing (left at initialisation) and ignored keys.

        Raises:
            FileNotFoundError: If the file does not exist.
            ValueError: If fewer than half of the backbone's tensors match (the message names
                the file and the counts, and points at the converter when the file has timm
                ViT keys) or a shared key's shape differs.
        """
        source = os.fspath(path)
        state = load_checkpoint_file(source, config_key='pretrained')
        if any(key.startswith('blocks.') for key in state):
            converted, conversion = convert_vit_to_timesformer(
                state,
                num_frames=self.num_frames,
                grid_size=self.patch_grid,
                attention_type=self.attention_type,
                depth=self.num_transformer_layers,
            )
            print_log(
                f'MixableTimeSformer: {source} is a timm image ViT, converted in memory: '
                f'{conversion.summary()}',
                logger='current',
            )
            return load_converted_state_dict(self, converted, source)
        try:
            return load_converted_state_dict(self, state, source)
        except ValueError as err:
            if any(key.startswith('blocks.') for key in state):
                raise ValueError(
                    f'{err}. The file has timm ViT keys (blocks.*): convert it first with '
                    f'`python {CONVERTER_TOOL} {source} OUT.pth`'
                ) from err
            raise
