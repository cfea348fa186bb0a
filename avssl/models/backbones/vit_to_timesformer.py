"""Convert a timm image ViT state dict into mmaction2 TimeSformer key names.

Mapping for block ``i`` (``L = transformer_layers.layers.{i}``), divided space-time attention:

======================================  ===============================================
timm key                                TimeSformer key(s)
======================================  ===============================================
``patch_embed.proj.{weight,bias}``      ``patch_embed.projection.{weight,bias}``
``blocks.{i}.norm1.*``                  ``L.attentions.0.norm.*`` and ``L.attentions.1.norm.*``
``blocks.{i}.attn.qkv.*``               ``L.attentions.{0,1}.attn.in_proj_{weight,bias}``
``blocks.{i}.attn.proj.*``              ``L.attentions.{0,1}.attn.out_proj.*``
``blocks.{i}.norm2.*``                  ``L.ffns.0.norm.*``
``blocks.{i}.mlp.fc1.*``                ``L.ffns.0.layers.0.0.*``
``blocks.{i}.mlp.fc2.*``                ``L.ffns.0.layers.1.*``
``norm.*``, ``cls_token``               unchanged
``pos_embed``                           unchanged, grid resampled if it differs
``head.*`` (and ``fc_norm``, ...)       dropped
======================================  ===============================================

``attentions.1`` is the spatial attention; ``attentions.0``, the temporal attention, gets a
copy of the same weights, as mmaction2's ``TimeSformer.init_weights`` does when it loads an
image ViT. Its ``temporal_fc`` and the ``time_embed`` are not in the file and stay at their
initialisation (both zero in mmaction2), so the converted model starts as the image ViT applied
frame by frame with the class token averaged over frames. For ``'space_only'`` and
``'joint_space_time'`` there is one attention per layer (``attentions.0``) and the norms are
``L.norms.0`` (before attention) and ``L.norms.1`` (before the FFN).

timm's fused ``qkv`` weight ``(3 D, D)`` stacks query, key and value rows in the order that
``nn.MultiheadAttention.in_proj_weight`` expects, so it is copied unchanged.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import Tensor

from avssl.utils.safe_load import refusing_unsafe_pickles

from .vit_checkpoint import (
    CLASSIFIER_PREFIXES,
    ConversionReport,
    _abbrev,
    _convert_pos_embed,
    _square_side,
    block_indices,
    load_checkpoint_file,
)

ATTENTION_TYPES = ('divided_space_time', 'space_only', 'joint_space_time')

_BLOCK = re.compile(r'^blocks\.(\d+)\.(.+)$')
_PARAM = ('weight', 'bias')


@dataclass
class TimeSformerConversionReport(ConversionReport):
    """What :func:`convert_vit_to_timesformer` did, on top of :class:`ConversionReport`.

    Attributes:
        mapped (list[tuple[str, str]]): ``(source key, target key)`` pairs, one per written
            tensor (a source key copied to two targets appears twice).
        left_to_init (list[str]): Target keys the file cannot provide (time embedding,
            temporal ``temporal_fc``, blocks the file lacks); they keep their initialisation.
        unrecognised (list[str]): Source keys with no TimeSformer counterpart (dropped).
    """

    mapped: list[tuple[str, str]] = field(default_factory=list)
    left_to_init: list[str] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """Return a one-paragraph description for logs.

        Returns:
            str: Counts of mapped, dropped and left-to-init keys plus the base notes.
        """
        parts = [
            f'mapped {len(self.mapped)} tensor(s) from '
            f'{len({src for src, _ in self.mapped})} source key(s)',
            f'left to initialisation ({len(self.left_to_init)}): {_abbrev(self.left_to_init)}',
        ]
        if self.unrecognised:
            parts.append(
                f'dropped {len(self.unrecognised)} unrecognised key(s): '
                f'{_abbrev(self.unrecognised)}'
            )
        return '; '.join([*parts, super().summary()])


def _layer_targets(i: int, rest: str, attention_type: str) -> list[str] | None:
    """TimeSformer keys for ``blocks.{i}.{rest}``, or None when the key has no counterpart."""
    layer = f'transformer_layers.layers.{i}'
    divided = attention_type == 'divided_space_time'
    attentions = ('attentions.0', 'attentions.1') if divided else ('attentions.0',)
    module, _, param = rest.rpartition('.')
    if param not in _PARAM:
        return None
    if module == 'norm1':
        if divided:
            return [f'{layer}.{a}.norm.{param}' for a in attentions]
        return [f'{layer}.norms.0.{param}']
    if module == 'norm2':
        return [f'{layer}.ffns.0.norm.{param}' if divided else f'{layer}.norms.1.{param}']
    if module == 'attn.qkv':
        return [f'{layer}.{a}.attn.in_proj_{param}' for a in attentions]
    if module == 'attn.proj':
        return [f'{layer}.{a}.attn.out_proj.{param}' for a in attentions]
    if module == 'mlp.fc1':
        return [f'{layer}.ffns.0.layers.0.0.{param}']
    if module == 'mlp.fc2':
        return [f'{layer}.ffns.0.layers.1.{param}']
    return None


def convert_vit_to_timesformer(
    state_dict: Mapping[str, Tensor],
    num_frames: int | None = None,
    grid_size: tuple[int, int] | None = None,
    attention_type: str = 'divided_space_time',
    depth: int | None = None,
) -> tuple[dict[str, Tensor], TimeSformerConversionReport]:
    """Map a timm ViT state dict onto mmaction2 ``TimeSformer`` keys (see the module docs).

    Args:
        state_dict (Mapping[str, Tensor]): Unwrapped timm ``VisionTransformer`` state dict
            (:func:`~.vit_checkpoint.load_checkpoint_file` unwraps files).
        num_frames (int | None): Frames of the target model, only recorded in the report's
            notes: ``time_embed`` ``(1, T, D)`` is never in an image file and is left to
            initialisation whatever T is. Defaults to None.
        grid_size (tuple[int, int] | None): Target token grid ``(H / p, W / p)``; the position
            grid is resampled bilinearly when it differs. None keeps the file's grid.
            Defaults to None.
        attention_type (str): The target's attention type. Defaults to
            ``'divided_space_time'``.
        depth (int | None): Target number of layers; blocks beyond it are dropped and missing
            ones reported. None converts all blocks of the file. Defaults to None.

    Returns:
        tuple[dict[str, Tensor], TimeSformerConversionReport]: The converted tensors (copies
        for keys written twice, so the two attentions do not share storage) and the report.

    Raises:
        ValueError: On an unknown ``attention_type``, a file without ``blocks.*`` keys, or a
            ``pos_embed`` whose grid cannot be read.
    """
    if attention_type not in ATTENTION_TYPES:
        raise ValueError(f'attention_type must be one of {ATTENTION_TYPES}, got {attention_type!r}')
    present = block_indices(state_dict)
    if not present:
        raise ValueError(
            'no timm ViT blocks (blocks.{i}.*) in the state dict; keys: '
            f'{_abbrev(list(state_dict))}'
        )
    depth = len(present) if depth is None else int(depth)
    report = TimeSformerConversionReport(source_depth=len(present))
    report.extra_blocks = [i for i in present if i >= depth]
    report.missing_blocks = [i for i in range(depth) if i not in set(present)]
    converted: dict[str, Tensor] = {}

    def put(src: str, dst: str, value: Tensor, copy: bool) -> None:
        converted[dst] = value.clone() if copy else value
        report.mapped.append((src, dst))

    for key, value in state_dict.items():
        block = _BLOCK.match(key)
        if block is not None:
            index, rest = int(block.group(1)), block.group(2)
            if index >= depth:
                report.dropped.append(key)
                continue
            targets = _layer_targets(index, rest, attention_type)
            if targets is None:
                report.unrecognised.append(key)
                report.dropped.append(key)
                continue
            for n, dst in enumerate(targets):
                put(key, dst, value, copy=n > 0)
        elif key.startswith(CLASSIFIER_PREFIXES) or key in ('head', 'dist_token'):
            report.dropped.append(key)
        elif key.startswith('patch_embed.proj.'):
            put(key, key.replace('patch_embed.proj.', 'patch_embed.projection.', 1), value, False)
        elif key in ('cls_token', 'norm.weight', 'norm.bias'):
            put(key, key, value, False)
        elif key == 'pos_embed':
            grid = grid_size if grid_size is not None else _file_grid(value, state_dict)
            new = _convert_pos_embed(value, state_dict, (int(grid[0]), int(grid[1])), report)
            put(key, key, new, False)
        else:
            report.unrecognised.append(key)
            report.dropped.append(key)

    if attention_type != 'space_only':
        report.left_to_init.append('time_embed')
        report.notes.append(
            f'time_embed (1, {num_frames if num_frames is not None else "T"}, D) left to '
            f'initialisation (zeros in mmaction2)'
        )
    kept_layers = [i for i in present if i < depth]
    if attention_type == 'divided_space_time':
        report.left_to_init += [
            f'transformer_layers.layers.{i}.attentions.0.temporal_fc.{p}'
            for i in kept_layers
            for p in _PARAM
        ]
        report.notes.append(
            'temporal attention (attentions.0) copied from the spatial attention; its '
            'temporal_fc left to initialisation (zeros in mmaction2)'
        )
    report.left_to_init += [f'transformer_layers.layers.{i}.*' for i in report.missing_blocks]
    return converted, report


def _file_grid(pos_embed: Tensor, state_dict: Mapping[str, Tensor]) -> tuple[int, int]:
    """The square position grid of a timm ``pos_embed`` ``(1, prefix + G*G, D)``."""
    num_prefix = 1 + int('dist_token' in state_dict)
    length = pos_embed.shape[1] if pos_embed.dim() == 3 else -1
    side = _square_side(max(length - num_prefix, 0)) or _square_side(max(length, 0))
    if side is None:
        raise ValueError(
            f'pos_embed: cannot read a square position grid from shape {tuple(pos_embed.shape)}'
        )
    return side, side


def convert_vit_file_to_timesformer(
    src: str | os.PathLike[str],
    dst: str | os.PathLike[str],
    num_frames: int | None = None,
    grid_size: tuple[int, int] | None = None,
    attention_type: str = 'divided_space_time',
    depth: int | None = None,
) -> TimeSformerConversionReport:
    """Convert a local timm ViT file and write ``{'state_dict': ..., 'meta': ...}`` to ``dst``.

    The output is the format :class:`~avssl.models.backbones.MixableTimeSformer` loads as
    ``pretrained``. ``meta`` records the source file, the arguments and the key lists of the
    report (plain lists and strings, so the file loads with ``weights_only=True``).

    Args:
        src (str | os.PathLike): timm ViT checkpoint (possibly wrapped under ``state_dict`` /
            ``model``, keys possibly prefixed with ``module.``).
        dst (str | os.PathLike): Output file; its folder is created if missing.
        num_frames (int | None): See :func:`convert_vit_to_timesformer`. Defaults to None.
        grid_size (tuple[int, int] | None): See :func:`convert_vit_to_timesformer`.
            Defaults to None.
        attention_type (str): See :func:`convert_vit_to_timesformer`. Defaults to
            ``'divided_space_time'``.
        depth (int | None): See :func:`convert_vit_to_timesformer`. Defaults to None.

    Returns:
        TimeSformerConversionReport: What was mapped, dropped and left to initialisation.

    Raises:
        FileNotFoundError: If ``src`` does not exist.
        ValueError: If ``src`` holds no timm ViT (the message names the file).
        UnsafeCheckpointError: If unpickling ``src`` would run code (nothing is run).
    """
    with refusing_unsafe_pickles(src):
        state = load_checkpoint_file(src, config_key='SRC')
    try:
        converted, report = convert_vit_to_timesformer(
            state, num_frames, grid_size, attention_type, depth
        )
    except ValueError as err:
        raise ValueError(f'{os.fspath(src)}: {err}') from err
    meta: dict[str, Any] = {
        'converter': 'avssl.models.backbones.vit_to_timesformer',
        'source': os.fspath(src),
        'attention_type': attention_type,
        'num_frames': num_frames,
        'grid_size': list(grid_size) if grid_size is not None else None,
        'depth': depth,
        'mapped': [list(pair) for pair in report.mapped],
        'dropped': list(report.dropped),
        'left_to_init': list(report.left_to_init),
        'notes': list(report.notes),
    }
    out = Path(os.fspath(dst))
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.save({'state_dict': converted, 'meta': meta}, out)
    return report
