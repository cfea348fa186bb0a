"""Weights for :class:`~avssl.models.localizers.FNAC`: the official release, ImageNet, our own.

The public FNAC code (``OpenNLPLab/FNAC_AVL``, after EZ-VSL) saves
``{'model': model.state_dict(), 'optimizer': ..., 'epoch': ..., ...}``, with a ``module.``
prefix when it was trained with DistributedDataParallel. Its model has four parts:

=============  ===============================================  ==========================
official key   what it is                                       avssl key
=============  ===============================================  ==========================
``imgnet.*``   torchvision ResNet-18, ``avgpool``/``fc`` =       ``visual_net.*``
               Identity (no parameters)
``img_proj.*`` ``Conv2d(512, 512, 1)``                          ``visual_proj.*``
``audnet.*``   ResNet-18, ``conv1`` = ``Conv2d(1, 64, 7, 2, 3)``, ``audio_net.*``
               ``avgpool`` = ``AdaptiveMaxPool2d``, ``fc`` =
               Identity
``aud_proj.*`` ``Linear(512, 512)``                             ``audio_proj.*``
=============  ===============================================  ==========================

Sub-keys are unchanged (both ResNets use torchvision's names), so the mapping is a prefix
rename; it only fits an FNAC at the paper's sizes (``width_mult=1``, ``embed_dim=512``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import torch
from torch import Tensor, nn

from avssl.models.backbones.vit_checkpoint import load_checkpoint_file
from avssl.utils.safe_load import refusing_unsafe_pickles

#: Official prefix -> avssl prefix.
FNAC_PREFIX_MAP: dict[str, str] = {
    'imgnet.': 'visual_net.',
    'img_proj.': 'visual_proj.',
    'audnet.': 'audio_net.',
    'aud_proj.': 'audio_proj.',
}
#: Parameter-free heads of the official ResNets; dropped if a file has them anyway.
DROPPED_PREFIXES: tuple[str, ...] = ('imgnet.fc.', 'audnet.fc.')
#: How many keys an error message lists.
MAX_LISTED = 12


@dataclass
class FNACConversionReport:
    """What :func:`convert_fnac_state_dict` did.

    Attributes:
        mapped (list[tuple[str, str]]): ``(official key, avssl key)`` pairs.
        dropped (list[str]): Official keys dropped on purpose (parameter-free ``fc`` heads).
    """

    mapped: list[tuple[str, str]] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def _listed(keys: list[str]) -> str:
    shown = ', '.join(keys[:MAX_LISTED])
    return shown + (f', ... ({len(keys)} in all)' if len(keys) > MAX_LISTED else '')


def strip_module_prefix(state_dict: Mapping[str, Tensor]) -> dict[str, Tensor]:
    """Remove DistributedDataParallel's ``module.`` prefixes (repeatedly) from every key.

    Args:
        state_dict (Mapping[str, Tensor]): A state dict.

    Returns:
        dict[str, Tensor]: The same tensors under the stripped keys.
    """
    out: dict[str, Tensor] = {}
    for key, value in state_dict.items():
        while key.startswith('module.'):
            key = key[len('module.') :]
        out[key] = value
    return out


def is_official_fnac_state_dict(state_dict: Mapping[str, Tensor]) -> bool:
    """Whether the keys follow the official release (``imgnet.*``, ``audnet.*``, ...).

    Args:
        state_dict (Mapping[str, Tensor]): A state dict (``module.`` prefixes allowed).

    Returns:
        bool: True when some key starts with an official prefix.
    """
    keys = strip_module_prefix(state_dict)
    return any(k.startswith(tuple(FNAC_PREFIX_MAP)) for k in keys)


def convert_fnac_state_dict(
    state_dict: Mapping[str, Tensor],
) -> tuple[dict[str, Tensor], FNACConversionReport]:
    """Map an official FNAC state dict onto avssl's :class:`FNAC` keys.

    Args:
        state_dict (Mapping[str, Tensor]): The official ``model`` state dict (with or without
            ``module.`` prefixes).

    Returns:
        tuple[dict[str, Tensor], FNACConversionReport]: The converted state dict and a report.

    Raises:
        ValueError: Keys with no counterpart (named), or no official key at all.
    """
    report = FNACConversionReport()
    out: dict[str, Tensor] = {}
    unknown: list[str] = []
    for key, value in strip_module_prefix(state_dict).items():
        if key.startswith(DROPPED_PREFIXES):
            report.dropped.append(key)
            continue
        prefix = next((p for p in FNAC_PREFIX_MAP if key.startswith(p)), None)
        if prefix is None:
            unknown.append(key)
            continue
        new_key = FNAC_PREFIX_MAP[prefix] + key[len(prefix) :]
        out[new_key] = value
        report.mapped.append((key, new_key))
    if unknown:
        raise ValueError(
            f'{len(unknown)} key(s) are not part of an official FNAC model '
            f'(expected prefixes {sorted(FNAC_PREFIX_MAP)}): {_listed(unknown)}'
        )
    if not out:
        raise ValueError('no FNAC weights found (no imgnet./audnet./img_proj./aud_proj. key)')
    return out, report


def check_state_dict_fits(module: nn.Module, state_dict: Mapping[str, Tensor], source: str) -> None:
    """Raise unless ``state_dict`` has exactly ``module``'s keys with the same shapes.

    Args:
        module (nn.Module): Target module.
        state_dict (Mapping[str, Tensor]): Tensors to load.
        source (str): What the tensors came from (a file), for the message.

    Raises:
        ValueError: Listing missing keys, unexpected keys and shape mismatches.
    """
    own = module.state_dict()
    missing = [k for k in own if k not in state_dict]
    unexpected = [k for k in state_dict if k not in own]
    shapes = [
        f'{k}: file {tuple(state_dict[k].shape)} vs model {tuple(v.shape)}'
        for k, v in own.items()
        if k in state_dict and tuple(state_dict[k].shape) != tuple(v.shape)
    ]
    if missing or unexpected or shapes:
        parts = []
        if missing:
            parts.append(f'missing {len(missing)} key(s): {_listed(missing)}')
        if unexpected:
            parts.append(f'unexpected {len(unexpected)} key(s): {_listed(unexpected)}')
        if shapes:
            parts.append(f'{len(shapes)} shape mismatch(es): {_listed(shapes)}')
        raise ValueError(
            f'{source} does not fit {type(module).__name__}: ' + '; '.join(parts) + ' (check '
            'the model sizes: official and ImageNet weights need width_mult=1, embed_dim=512)'
        )


def read_fnac_state_dict(path: str | os.PathLike[str]) -> dict[str, Tensor]:
    """Read a whole-FNAC file in avssl keys: an avssl checkpoint or an official release.

    Args:
        path (str | os.PathLike[str]): Local ``.pth`` file.

    Returns:
        dict[str, Tensor]: avssl keys (``visual_net.*``, ``visual_proj.*``, ``audio_net.*``,
        ``audio_proj.*``).
    """
    with refusing_unsafe_pickles(path):
        state = load_checkpoint_file(path, 'pretrained', prefixes=('module.',))
    if is_official_fnac_state_dict(state):
        state, _ = convert_fnac_state_dict(state)
    return state


def load_fnac_weights(model: nn.Module, path: str | os.PathLike[str]) -> None:
    """Load a whole FNAC strictly from ``path`` (avssl or official format).

    Args:
        model (nn.Module): An :class:`FNAC`.
        path (str | os.PathLike[str]): Local file.

    Raises:
        ValueError: When keys or shapes do not match (all differences listed).
    """
    state = read_fnac_state_dict(path)
    check_state_dict_fits(model, state, f'FNAC weights {path}')
    model.load_state_dict(state, strict=True)


def load_resnet_imagenet_weights(trunk: nn.Module, path: str | os.PathLike[str]) -> None:
    """Load a torchvision ResNet-18 ImageNet file into a visual trunk (``fc.*`` ignored).

    Args:
        trunk (nn.Module): A :class:`~avssl.models.localizers.resnet_trunk.ResNet18Trunk`.
        path (str | os.PathLike[str]): Local file (a torchvision state dict, possibly wrapped
            in ``state_dict`` / ``model`` or prefixed with ``module.``).

    Raises:
        ValueError: When keys or shapes do not match (all differences listed).
    """
    with refusing_unsafe_pickles(path):
        state = load_checkpoint_file(path, 'visual_pretrained', prefixes=('module.',))
    state = {k: v for k, v in state.items() if not k.startswith('fc.')}
    check_state_dict_fits(trunk, state, f'ImageNet ResNet-18 file {path} (visual_pretrained)')
    with torch.no_grad():
        trunk.load_state_dict(state, strict=True)
