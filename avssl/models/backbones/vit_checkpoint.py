"""Read image-ViT checkpoints and convert them for avssl's transformer backbones.

The helpers here are pure functions over state dicts (plus one file reader and one loader), so
that backbones, offline converter tools and tests share them:

* :func:`load_checkpoint_file` reads a local file with ``torch.load(..., weights_only=True)`` and
  :func:`unwrap_state_dict` digs the tensors out of ``state_dict`` / ``model`` wrappers and strips
  ``module.`` / ``backbone.`` prefixes.
* :func:`convert_image_vit_to_audio` maps a timm image ViT (3-channel patches, square position
  grid) onto :class:`~avssl.models.backbones.AudioTransformer` (1-channel patches, audio grid).
* :func:`match_state_dict` is the "most keys must match" check: mmaction2-style loading with
  ``strict=False`` silently loads nothing when the key layout is wrong, so it fails loudly
  instead. :func:`load_converted_state_dict` runs it, loads the tensors and logs what happened.

Key names follow timm's ``VisionTransformer``: ``cls_token``, ``pos_embed`` (1, 1 + G*G, D),
``patch_embed.proj.weight`` (D, 3, p, p), ``blocks.{i}.*``, ``norm.*`` and ``head.*``.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from mmengine.logging import print_log
from torch import Tensor, nn

#: Wrapper keys under which training frameworks store the tensors, in the order they are tried.
WRAPPER_KEYS: tuple[str, ...] = ('state_dict', 'model')
#: Key prefixes added by DDP / DataParallel and by mmaction2 recognizers, stripped repeatedly.
STRIP_PREFIXES: tuple[str, ...] = ('module.', 'backbone.')
#: Image-classifier keys that no backbone uses: the classifier and timm's pooled-feature norms.
CLASSIFIER_PREFIXES: tuple[str, ...] = ('head.', 'fc_norm.', 'pre_logits.', 'head_dist.')
#: How many missing / unexpected keys an error message or log line lists.
MAX_LISTED_KEYS = 10

_BLOCK_KEY = re.compile(r'^blocks\.(\d+)\.(.+)$')


@dataclass
class ConversionReport:
    """What a key converter changed, dropped or could not find.

    Attributes:
        dropped (list[str]): File keys dropped on purpose (classifier head, extra blocks, tokens
            the target has no use for).
        extra_blocks (list[int]): Block indices in the file beyond the target depth (dropped).
        missing_blocks (list[int]): Target block indices the file does not contain (those blocks
            stay at their initialisation).
        source_depth (int): Number of transformer blocks found in the file.
        notes (list[str]): Human-readable notes on the conversions applied.
    """

    dropped: list[str] = field(default_factory=list)
    extra_blocks: list[int] = field(default_factory=list)
    missing_blocks: list[int] = field(default_factory=list)
    source_depth: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """Return a one-paragraph description for logs.

        Returns:
            str: Notes, dropped keys and block differences joined by ``'; '``.
        """
        parts = list(self.notes)
        if self.extra_blocks:
            parts.append(
                f'dropped {len(self.extra_blocks)} extra block(s) of the file '
                f'(indices {self.extra_blocks[0]}..{self.extra_blocks[-1]}): the file has '
                f'{self.source_depth} blocks'
            )
        if self.missing_blocks:
            parts.append(
                f'the file has only {self.source_depth} blocks: block(s) '
                f'{self.missing_blocks} keep their initialisation'
            )
        others = [k for k in self.dropped if not _BLOCK_KEY.match(k)]
        if others:
            parts.append(f'dropped {len(others)} key(s): {_abbrev(others)}')
        return '; '.join(parts) if parts else 'no conversion needed'


@dataclass
class LoadReport:
    """Outcome of :func:`match_state_dict`.

    Attributes:
        source (str): Where the tensors came from (a file path), for messages.
        loaded (list[str]): Model keys filled from the file.
        missing (list[str]): Model keys the file does not provide (left at initialisation).
        unexpected (list[str]): Converted file keys the model does not have (ignored).
        expected (int): Number of tensors in the model's state dict.
    """

    source: str
    loaded: list[str]
    missing: list[str]
    unexpected: list[str]
    expected: int


def _abbrev(keys: Iterable[str], limit: int = MAX_LISTED_KEYS) -> str:
    """Format at most ``limit`` keys, saying how many more there are."""
    keys = list(keys)
    shown = ', '.join(keys[:limit])
    if len(keys) > limit:
        shown += f', ... ({len(keys) - limit} more)'
    return f'[{shown}]'


def _strip_prefixes(key: str, prefixes: Iterable[str]) -> str:
    """Remove any of ``prefixes`` from the start of ``key`` until none applies."""
    prefixes = tuple(prefixes)
    changed = True
    while changed:
        changed = False
        for prefix in prefixes:
            if prefix and key.startswith(prefix):
                key = key[len(prefix) :]
                changed = True
    return key


def unwrap_state_dict(
    checkpoint: Mapping[str, Any],
    wrapper_keys: Iterable[str] = WRAPPER_KEYS,
    prefixes: Iterable[str] = STRIP_PREFIXES,
) -> dict[str, Tensor]:
    """Extract a flat ``{key: tensor}`` state dict from a loaded checkpoint object.

    Descends into ``checkpoint[w]`` for the first wrapper key ``w`` whose value is a mapping,
    repeatedly (so ``{'model': {'state_dict': ...}}`` works), then keeps the tensor values and
    strips the given prefixes from every key (``module.backbone.x`` -> ``x``).

    Args:
        checkpoint (Mapping[str, Any]): What ``torch.load`` returned.
        wrapper_keys (Iterable[str]): Keys that may wrap the state dict, tried in order.
            Defaults to :data:`WRAPPER_KEYS` (``'state_dict'``, ``'model'``).
        prefixes (Iterable[str]): Key prefixes to strip. Defaults to :data:`STRIP_PREFIXES`
            (``'module.'``, ``'backbone.'``).

    Returns:
        dict[str, Tensor]: The tensors, under their stripped keys, in file order.

    Raises:
        TypeError: If ``checkpoint`` is not a mapping.
        ValueError: If no tensor is found, or two keys collide after prefix stripping.
    """
    if not isinstance(checkpoint, Mapping):
        raise TypeError(
            f'expected a checkpoint dict (a state dict or one wrapped under '
            f'{list(wrapper_keys)}), got {type(checkpoint).__name__}'
        )
    wrapper_keys = tuple(wrapper_keys)
    obj: Mapping[str, Any] = checkpoint
    while True:
        inner = next(
            (obj[w] for w in wrapper_keys if w in obj and isinstance(obj[w], Mapping)), None
        )
        if inner is None:
            break
        obj = inner
    state: dict[str, Tensor] = {}
    for key, value in obj.items():
        if not isinstance(value, Tensor):
            continue
        new_key = _strip_prefixes(str(key), prefixes)
        if new_key in state:
            raise ValueError(
                f'checkpoint keys collide after stripping prefixes {list(prefixes)}: '
                f'{key!r} -> {new_key!r} already present'
            )
        state[new_key] = value
    if not state:
        raise ValueError(
            f'no tensors found in the checkpoint (top-level keys: {_abbrev(map(str, obj))}); '
            f'expected a state dict, possibly wrapped under {list(wrapper_keys)}'
        )
    return state


def load_checkpoint_file(
    path: str | os.PathLike[str],
    config_key: str = 'pretrained',
    wrapper_keys: Iterable[str] = WRAPPER_KEYS,
    prefixes: Iterable[str] = STRIP_PREFIXES,
) -> dict[str, Tensor]:
    """Read a local checkpoint file and return its unwrapped state dict.

    Loads with ``torch.load(path, map_location='cpu', weights_only=True)``; the classes an
    mmengine checkpoint holds besides tensors are allow-listed first (see
    :func:`avssl.utils.register_checkpoint_safe_globals`). Nothing is downloaded.

    Args:
        path (str | os.PathLike[str]): Local file (``~`` is expanded).
        config_key (str): The config key that named the file, quoted in errors.
            Defaults to ``'pretrained'``.
        wrapper_keys (Iterable[str]): See :func:`unwrap_state_dict`. Defaults to
            :data:`WRAPPER_KEYS`.
        prefixes (Iterable[str]): See :func:`unwrap_state_dict`. Defaults to
            :data:`STRIP_PREFIXES`.

    Returns:
        dict[str, Tensor]: The file's tensors (on CPU) under prefix-free keys.

    Raises:
        FileNotFoundError: If ``path`` is not an existing file; the message names the path and
            ``config_key``.
        ValueError: See :func:`unwrap_state_dict`.
    """
    from avssl.utils import register_checkpoint_safe_globals

    file = Path(os.path.expanduser(os.fspath(path)))
    if not file.is_file():
        raise FileNotFoundError(
            f'checkpoint file not found: {str(file)!r} (given as config key '
            f'{config_key}={os.fspath(path)!r}); it must be a local file, nothing is downloaded'
        )
    register_checkpoint_safe_globals()
    checkpoint = torch.load(file, map_location='cpu', weights_only=True)
    try:
        return unwrap_state_dict(checkpoint, wrapper_keys, prefixes)
    except (TypeError, ValueError) as err:
        raise ValueError(f'{file}: {err}') from err


def block_indices(state_dict: Mapping[str, Tensor], prefix: str = 'blocks.') -> list[int]:
    """Return the sorted transformer-block indices present in a state dict.

    Args:
        state_dict (Mapping[str, Tensor]): Keys like ``'blocks.3.attn.qkv.weight'``.
        prefix (str): The block-list prefix. Defaults to ``'blocks.'``.

    Returns:
        list[int]: Distinct ``i`` of the keys ``f'{prefix}{i}.*'``, ascending.
    """
    pattern = re.compile(rf'^{re.escape(prefix)}(\d+)\.')
    found = {int(m.group(1)) for k in state_dict if (m := pattern.match(k))}
    return sorted(found)


def _square_side(n: int) -> int | None:
    side = math.isqrt(n)
    return side if side * side == n and side > 0 else None


def resize_pos_embed_grid(
    grid_embed: Tensor, src_grid: tuple[int, int], dst_grid: tuple[int, int]
) -> Tensor:
    """Bilinearly resample grid position embeddings (``align_corners=False``).

    Args:
        grid_embed (Tensor): Shape ``(1, Hs * Ws, D)``, row-major over the source grid.
        src_grid (tuple[int, int]): Source grid ``(Hs, Ws)``.
        dst_grid (tuple[int, int]): Target grid ``(Ht, Wt)``.

    Returns:
        Tensor: Shape ``(1, Ht * Wt, D)``, row-major over the target grid, in the input dtype.
    """
    _, n, dim = grid_embed.shape
    if n != src_grid[0] * src_grid[1]:
        raise ValueError(
            f'grid embedding has {n} positions, source grid {src_grid} needs '
            f'{src_grid[0] * src_grid[1]}'
        )
    if tuple(src_grid) == tuple(dst_grid):
        return grid_embed.clone()
    grid = grid_embed.float().reshape(1, src_grid[0], src_grid[1], dim).permute(0, 3, 1, 2)
    grid = F.interpolate(grid, size=tuple(dst_grid), mode='bilinear', align_corners=False)
    out = grid.permute(0, 2, 3, 1).reshape(1, dst_grid[0] * dst_grid[1], dim)
    return out.to(grid_embed.dtype)


def convert_image_vit_to_audio(
    state_dict: Mapping[str, Tensor], grid_size: tuple[int, int], depth: int
) -> tuple[dict[str, Tensor], ConversionReport]:
    """Convert a timm image-ViT state dict for an AST-style audio transformer.

    * ``patch_embed.proj.weight`` ``(D, C, p, p)`` with ``C != 1`` is averaged over the input
      channels to ``(D, 1, p, p)``.
    * ``pos_embed`` ``(1, 1 + G*G, D)``: the class position is kept and the ``G x G`` grid is
      resampled bilinearly (``align_corners=False``) to ``grid_size``. A file whose grid already
      has ``grid_size`` positions is kept as is; a file without a class position (timm's
      ``no_embed_class``) gets a zero class position; a distillation-token position is dropped.
    * ``head.*``, ``head_dist.*``, ``fc_norm.*``, ``pre_logits.*`` and ``dist_token`` are dropped.
    * ``blocks.{i}.*`` with ``i >= depth`` are dropped and reported; missing blocks are reported.
    * Every other key is passed through unchanged (:func:`match_state_dict` reports the ones the
      model does not have).

    Args:
        state_dict (Mapping[str, Tensor]): Unwrapped timm-style ViT state dict.
        grid_size (tuple[int, int]): Target patch grid ``(T // p, F // p)``.
        depth (int): Number of transformer blocks of the target model.

    Returns:
        tuple[dict[str, Tensor], ConversionReport]: Converted state dict and what was done.

    Raises:
        ValueError: If ``pos_embed`` has a length that fits neither a square grid (with or
            without prefix tokens) nor ``grid_size``.
    """
    grid_size = (int(grid_size[0]), int(grid_size[1]))
    report = ConversionReport()
    present = block_indices(state_dict)
    report.source_depth = len(present)
    report.extra_blocks = [i for i in present if i >= depth]
    report.missing_blocks = [i for i in range(depth) if i not in set(present)]
    converted: dict[str, Tensor] = {}
    for key, value in state_dict.items():
        block = _BLOCK_KEY.match(key)
        if block is not None and int(block.group(1)) >= depth:
            report.dropped.append(key)
        elif key.startswith(CLASSIFIER_PREFIXES) or key in ('head', 'dist_token'):
            report.dropped.append(key)
        elif key == 'patch_embed.proj.weight' and value.dim() == 4 and value.shape[1] != 1:
            converted[key] = value.float().mean(dim=1, keepdim=True).to(value.dtype)
            report.notes.append(
                f'patch_embed.proj.weight: averaged {value.shape[1]} input channels to 1'
            )
        elif key == 'pos_embed':
            converted[key] = _convert_pos_embed(value, state_dict, grid_size, report)
        else:
            converted[key] = value
    return converted, report


def _convert_pos_embed(
    pos_embed: Tensor,
    state_dict: Mapping[str, Tensor],
    grid_size: tuple[int, int],
    report: ConversionReport,
) -> Tensor:
    """Map an image ``pos_embed`` ``(1, L, D)`` to ``(1, 1 + Ht*Wt, D)``; see the caller."""
    if pos_embed.dim() != 3 or pos_embed.shape[0] != 1:
        raise ValueError(f'pos_embed: expected shape (1, L, D), got {tuple(pos_embed.shape)}')
    length = pos_embed.shape[1]
    target = grid_size[0] * grid_size[1]
    if length == 1 + target:
        report.notes.append(f'pos_embed: already at grid {grid_size}, kept')
        return pos_embed
    num_prefix = 1 + int('dist_token' in state_dict)
    side = _square_side(length - num_prefix)
    if side is not None:
        cls_pos = pos_embed[:, :1]
        grid = pos_embed[:, num_prefix:]
        how = 'class position kept'
    elif (side := _square_side(length)) is not None:
        cls_pos = pos_embed.new_zeros(1, 1, pos_embed.shape[2])
        grid = pos_embed
        how = 'the file has no class position (no_embed_class): zero class position'
    else:
        raise ValueError(
            f'pos_embed: cannot read a square position grid from shape '
            f'{tuple(pos_embed.shape)} ({num_prefix} prefix token(s)) nor the target grid '
            f'{grid_size}'
        )
    resized = resize_pos_embed_grid(grid, (side, side), grid_size)
    report.notes.append(f'pos_embed: grid {side}x{side} -> {grid_size[0]}x{grid_size[1]}, {how}')
    return torch.cat([cls_pos, resized], dim=1)


def match_state_dict(
    model_state: Mapping[str, Tensor],
    converted: Mapping[str, Tensor],
    source: str,
    min_fraction: float = 0.5,
) -> LoadReport:
    """Check converted tensors against a model's state dict; fail loudly on a bad layout.

    Args:
        model_state (Mapping[str, Tensor]): The model's ``state_dict()`` (only shapes are read,
            so meta tensors are fine).
        converted (Mapping[str, Tensor]): The file's tensors after key conversion.
        source (str): Where ``converted`` came from (the file path), quoted in errors.
        min_fraction (float): Smallest fraction of the model's tensors that must be filled.
            Defaults to 0.5.

    Returns:
        LoadReport: Loaded, missing and unexpected keys.

    Raises:
        ValueError: If a shared key's shape differs (naming the key and both shapes), or fewer
            than ``min_fraction`` of the model's tensors are matched (naming the file, the counts
            and up to :data:`MAX_LISTED_KEYS` missing and unexpected keys).
    """
    loaded, missing = [], []
    for key, target in model_state.items():
        if key not in converted:
            missing.append(key)
            continue
        if tuple(converted[key].shape) != tuple(target.shape):
            raise ValueError(
                f'{source}: shape mismatch for {key!r} after conversion: file '
                f'{tuple(converted[key].shape)} vs model {tuple(target.shape)}'
            )
        loaded.append(key)
    unexpected = [k for k in converted if k not in model_state]
    expected = len(model_state)
    if len(loaded) < min_fraction * expected:
        raise ValueError(
            f'{source}: only {len(loaded)} / {expected} model tensors matched the checkpoint '
            f'(at least {min_fraction:.0%} required); is this the right kind of checkpoint? '
            f'missing ({len(missing)}): {_abbrev(missing)}; unexpected ({len(unexpected)}): '
            f'{_abbrev(unexpected)}'
        )
    return LoadReport(source, loaded, missing, unexpected, expected)


def load_converted_state_dict(
    module: nn.Module,
    converted: Mapping[str, Tensor],
    source: str,
    min_fraction: float = 0.5,
    conversion: ConversionReport | None = None,
) -> LoadReport:
    """Check (:func:`match_state_dict`), load and log converted tensors into ``module``.

    Args:
        module (nn.Module): The backbone to fill.
        converted (Mapping[str, Tensor]): Converted file tensors.
        source (str): The file path, for messages.
        min_fraction (float): See :func:`match_state_dict`. Defaults to 0.5.
        conversion (ConversionReport | None): The converter's report, logged alongside.
            Defaults to None.

    Returns:
        LoadReport: What was loaded, left at initialisation and ignored.
    """
    report = match_state_dict(module.state_dict(), converted, source, min_fraction)
    module.load_state_dict({k: converted[k] for k in report.loaded}, strict=False)
    name = type(module).__name__
    lines = [f'{name}: loaded {len(report.loaded)} / {report.expected} tensors from {source}']
    if conversion is not None:
        lines.append(f'  conversion: {conversion.summary()}')
    if report.missing:
        lines.append(f'  left at initialisation ({len(report.missing)}): {report.missing}')
    if report.unexpected:
        lines.append(
            f'  ignored file keys ({len(report.unexpected)}): {_abbrev(report.unexpected)}'
        )
    print_log('\n'.join(lines), logger='current')
    return report
