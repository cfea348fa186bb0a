"""AST-style audio transformer: a ViT over the log-mel spectrogram.

The spectrogram ``(B, 1, T, F)`` (T time frames, F mel bins) is cut into non-overlapping
``p x p`` patches on the grid ``(T // p, F // p)`` (time-major token order), a class token is
prepended, learned position embeddings are added and timm ViT blocks follow. The blocks are
timm's ``Block`` (fused ``scaled_dot_product_attention`` where timm enables it), so an ImageNet
ViT checkpoint with timm key names initialises everything but the patch embedding's channel
count and the position grid, which :func:`~.vit_checkpoint.convert_image_vit_to_audio` adapts.
"""

from __future__ import annotations

import os
from functools import partial

import torch
from mmengine.model import BaseModule
from timm.layers import PatchEmbed
from timm.models.vision_transformer import Block
from torch import Tensor, nn

from avssl.registry import MODELS

from .vit_checkpoint import (
    LoadReport,
    convert_image_vit_to_audio,
    load_checkpoint_file,
    load_converted_state_dict,
)

_OUTPUTS = ('cls', 'tokens')


@MODELS.register_module()
class AudioTransformer(BaseModule):
    """Audio spectrogram transformer (AST-style ViT) over a log-mel spectrogram.

    Args:
        input_tdim (int): Time frames T of the input spectrogram. Defaults to 256 (2.56 s at a
            10 ms hop).
        input_fdim (int): Mel bins F of the input spectrogram. Defaults to 128.
        patch_size (int): Side p of the square, non-overlapping patches; must divide T and F.
            Defaults to 16.
        embed_dims (int): Token width D. Defaults to 768.
        depth (int): Number of transformer blocks. Defaults to 12.
        num_heads (int): Attention heads per block; must divide ``embed_dims``. Defaults to 12.
        mlp_ratio (float): Hidden width of the MLP relative to D. Defaults to 4.0.
        qkv_bias (bool): Bias in the query/key/value projection. Defaults to True.
        drop_rate (float): Dropout after the position embedding and inside the blocks
            (projection and MLP outputs). Defaults to 0.0.
        drop_path_rate (float): Stochastic-depth rate of the last block; the rates increase
            linearly from 0 over the blocks. Defaults to 0.0.
        output (str): ``'cls'`` to return the normalised class token ``(B, D)``, ``'tokens'``
            to return all normalised tokens ``(B, 1 + N, D)``, class token first.
            Defaults to ``'cls'``.
        pretrained (str | None): Local image-ViT checkpoint (timm key names) loaded by
            :meth:`init_weights`; nothing is read at construction. Defaults to None.
        init_cfg (dict | list[dict] | None): mmengine initialisation config, applied by
            :meth:`init_weights` before ``pretrained``. Defaults to None.
    """

    def __init__(
        self,
        input_tdim: int = 256,
        input_fdim: int = 128,
        patch_size: int = 16,
        embed_dims: int = 768,
        depth: int = 12,
        num_heads: int = 12,
        mlp_ratio: float = 4.0,
        qkv_bias: bool = True,
        drop_rate: float = 0.0,
        drop_path_rate: float = 0.0,
        output: str = 'cls',
        pretrained: str | None = None,
        init_cfg: dict | list[dict] | None = None,
    ) -> None:
        super().__init__(init_cfg=init_cfg)
        for name, value in (
            ('input_tdim', input_tdim),
            ('input_fdim', input_fdim),
            ('patch_size', patch_size),
            ('embed_dims', embed_dims),
            ('depth', depth),
            ('num_heads', num_heads),
        ):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f'AudioTransformer: {name} must be a positive int, got {value!r}')
        if input_tdim % patch_size or input_fdim % patch_size:
            raise ValueError(
                f'AudioTransformer: input (T, F) = ({input_tdim}, {input_fdim}) must be '
                f'divisible by patch_size {patch_size}'
            )
        if embed_dims % num_heads:
            raise ValueError(
                f'AudioTransformer: embed_dims {embed_dims} is not divisible by num_heads '
                f'{num_heads}'
            )
        if output not in _OUTPUTS:
            raise ValueError(f'AudioTransformer: output must be one of {_OUTPUTS}, got {output!r}')
        if not 0.0 <= drop_path_rate < 1.0 or not 0.0 <= drop_rate < 1.0:
            raise ValueError(
                f'AudioTransformer: drop_rate {drop_rate} and drop_path_rate {drop_path_rate} '
                f'must lie in [0, 1)'
            )
        if pretrained is not None and _has_pretrained_init(init_cfg):
            raise ValueError(
                'AudioTransformer: give either pretrained= or an init_cfg of type Pretrained, '
                'not both'
            )
        self.input_tdim = input_tdim
        self.input_fdim = input_fdim
        self.patch_size = patch_size
        self.embed_dims = embed_dims
        self.depth = depth
        self.output = output
        self.pretrained = os.fspath(pretrained) if pretrained is not None else None

        self.patch_embed = PatchEmbed(
            img_size=(input_tdim, input_fdim),
            patch_size=patch_size,
            in_chans=1,
            embed_dim=embed_dims,
        )
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dims))
        self.pos_embed = nn.Parameter(torch.zeros(1, 1 + self.num_patches, embed_dims))
        self.pos_drop = nn.Dropout(drop_rate)
        # Python floats, not torch.linspace: the model must also build on the meta device.
        rates = [drop_path_rate * i / max(depth - 1, 1) for i in range(depth)]
        norm_layer = partial(nn.LayerNorm, eps=1e-6)
        self.blocks = nn.Sequential(
            *(
                Block(
                    dim=embed_dims,
                    num_heads=num_heads,
                    mlp_ratio=mlp_ratio,
                    qkv_bias=qkv_bias,
                    proj_drop=drop_rate,
                    drop_path=rate,
                    norm_layer=norm_layer,
                )
                for rate in rates
            )
        )
        self.norm = norm_layer(embed_dims)
        self._reset_parameters()

    @property
    def grid_size(self) -> tuple[int, int]:
        """tuple[int, int]: Patch grid ``(T // p, F // p)``."""
        return self.input_tdim // self.patch_size, self.input_fdim // self.patch_size

    @property
    def num_patches(self) -> int:
        """int: Number of patch tokens N (without the class token)."""
        rows, cols = self.grid_size
        return rows * cols

    def _reset_parameters(self) -> None:
        """ViT initialisation: truncated normal (std 0.02) for tokens, positions and linears."""
        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        nn.init.trunc_normal_(self.cls_token, std=0.02)
        for module in self.modules():
            if isinstance(module, nn.Linear):
                nn.init.trunc_normal_(module.weight, std=0.02)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
            elif isinstance(module, nn.LayerNorm):
                nn.init.ones_(module.weight)
                nn.init.zeros_(module.bias)

    def init_weights(self) -> None:
        """Apply ``init_cfg`` (mmengine), then load ``pretrained`` if given (once)."""
        first_time = not self.is_init
        super().init_weights()
        if self.pretrained is not None and first_time:
            self.load_pretrained(self.pretrained)

    def load_pretrained(self, path: str) -> LoadReport:
        """Initialise from a local image-ViT checkpoint with timm key names.

        The file may wrap its tensors under ``state_dict`` or ``model`` and prefix keys with
        ``module.`` or ``backbone.``. See :func:`~.vit_checkpoint.convert_image_vit_to_audio`
        for the conversion and :func:`~.vit_checkpoint.match_state_dict` for the checks.

        Args:
            path (str): Local checkpoint file.

        Returns:
            LoadReport: Loaded, missing (left at initialisation) and ignored keys.

        Raises:
            FileNotFoundError: If ``path`` does not exist (names the path and ``pretrained``).
            ValueError: If fewer than half of the model's tensors match or a shape differs.
        """
        state = load_checkpoint_file(path, config_key='pretrained')
        converted, conversion = convert_image_vit_to_audio(state, self.grid_size, self.depth)
        return load_converted_state_dict(self, converted, os.fspath(path), conversion=conversion)

    def _check_input(self, x: Tensor) -> None:
        """Raise a ``ValueError`` naming the shapes if ``x`` is not ``(B, 1, T, F)``."""
        expected = f'(B, 1, {self.input_tdim}, {self.input_fdim})'
        if not isinstance(x, Tensor) or x.dim() != 4 or x.shape[1] != 1:
            got = tuple(x.shape) if isinstance(x, Tensor) else type(x).__name__
            raise ValueError(
                f'AudioTransformer expects a log-mel spectrogram of shape {expected} '
                f'(batch, channel, time frames, mel bins), got {got}'
            )
        t, f = x.shape[2], x.shape[3]
        problems = []
        if t % self.patch_size or f % self.patch_size:
            problems.append(f'(T, F) = ({t}, {f}) is not divisible by patch_size {self.patch_size}')
        if (t, f) != (self.input_tdim, self.input_fdim):
            problems.append(
                f'(T, F) = ({t}, {f}) differs from the configured '
                f'(input_tdim, input_fdim) = ({self.input_tdim}, {self.input_fdim})'
            )
        if problems:
            raise ValueError(
                f'AudioTransformer expects input of shape {expected}, got {tuple(x.shape)}: '
                + '; '.join(problems)
            )

    def forward_features(self, x: Tensor) -> Tensor:
        """Encode a spectrogram into normalised tokens.

        Args:
            x (Tensor): Log-mel spectrogram, shape ``(B, 1, T, F)``.

        Returns:
            Tensor: Shape ``(B, 1 + N, D)`` with ``N = (T // p) * (F // p)`` (time-major),
            class token first, after the final LayerNorm.
        """
        self._check_input(x)
        tokens = self.patch_embed(x)
        cls = self.cls_token.expand(tokens.shape[0], -1, -1)
        tokens = torch.cat([cls, tokens], dim=1) + self.pos_embed
        tokens = self.blocks(self.pos_drop(tokens))
        return self.norm(tokens)

    def forward(self, x: Tensor) -> Tensor:
        """Encode a spectrogram.

        Args:
            x (Tensor): Log-mel spectrogram, shape ``(B, 1, T, F)``.

        Returns:
            Tensor: ``(B, D)`` class token if ``output='cls'``, else ``(B, 1 + N, D)`` tokens.
        """
        tokens = self.forward_features(x)
        return tokens[:, 0] if self.output == 'cls' else tokens


def _has_pretrained_init(init_cfg: dict | list[dict] | None) -> bool:
    """Whether an mmengine ``init_cfg`` contains a ``Pretrained`` initialiser."""
    cfgs = [init_cfg] if isinstance(init_cfg, dict) else list(init_cfg or [])
    return any(isinstance(c, dict) and c.get('type') == 'Pretrained' for c in cfgs)
