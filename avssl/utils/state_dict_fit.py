"""Say how a checkpoint's state dict differs from a model's, in a few lines."""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Mapping
from typing import Any

import torch

#: Keys quoted per kind of difference; the counts are always complete.
MAX_EXAMPLES = 5

#: Prefixes mmengine strips from checkpoint keys before loading (``revise_keys``).
WRAPPER_PREFIX = re.compile(r'^module\.')


class CheckpointMismatchError(ValueError):
    """A checkpoint does not fit the model: missing or unexpected keys, different shapes."""


def _shape(tensor: torch.Tensor) -> str:
    return 'x'.join(map(str, tensor.shape)) or 'scalar'


def _examples(items: list[str]) -> str:
    shown = ', '.join(items[:MAX_EXAMPLES])
    return shown + (', ...' if len(items) > MAX_EXAMPLES else '')


def state_dict_mismatch(
    expected: Mapping[str, Any],
    given: Mapping[str, Any],
    ignore: Iterable[str] = (),
    shape_keys: Container[str] | None = None,
) -> str | None:
    """Summarise the differences between a model's state dict and a checkpoint's.

    Args:
        expected (Mapping[str, Any]): The model's ``state_dict()``.
        given (Mapping[str, Any]): The checkpoint's state dict.
        ignore (Iterable[str]): Regular expressions; keys matching one (``re.match``) are not
            compared. Defaults to none.
        shape_keys (Container[str] | None): Keys whose shapes are compared; None compares all.
            Defaults to None.

    Returns:
        str | None: None when the keys are the same and every tensor has the model's shape,
        else e.g. ``'212 missing keys (backbone.cls_token, ...); 96 unexpected keys
        (visual_net.conv1.weight, ...); 1 shape mismatch (cls_head.fc_cls.weight: checkpoint
        10x64 vs model 4x64)'``.
    """
    patterns = [re.compile(p) for p in ignore]

    def kept(key: str) -> bool:
        return not any(p.match(key) for p in patterns)

    missing = [k for k in expected if k not in given and kept(k)]
    unexpected = [k for k in given if k not in expected and kept(k)]
    shapes = [
        f'{k}: checkpoint {_shape(given[k])} vs model {_shape(v)}'
        for k, v in expected.items()
        if k in given
        and kept(k)
        and (shape_keys is None or k in shape_keys)
        and torch.is_tensor(v)
        and torch.is_tensor(given[k])
        and given[k].shape != v.shape
    ]
    parts = [
        f'{len(items)} {what}{"" if len(items) == 1 else plural} ({_examples(items)})'
        for items, what, plural in (
            (missing, 'missing key', 's'),
            (unexpected, 'unexpected key', 's'),
            (shapes, 'shape mismatch', 'es'),
        )
        if items
    ]
    return '; '.join(parts) if parts else None


def checkpoint_state_dict(checkpoint: Mapping[str, Any]) -> dict[str, Any]:
    """The state dict mmengine would load from a checkpoint (``state_dict`` entry or the whole
    mapping), with DDP's ``module.`` prefixes removed as mmengine's loader does."""
    state = checkpoint.get('state_dict', checkpoint)
    return {WRAPPER_PREFIX.sub('', k): v for k, v in state.items()}


def check_checkpoint_fits(
    model: torch.nn.Module,
    checkpoint: Mapping[str, Any],
    source: str,
    ignore: Iterable[str] = (),
) -> None:
    """Raise unless ``checkpoint`` has exactly ``model``'s keys and parameter shapes.

    Buffer shapes are not compared: modules may resize a buffer to the saved one when loading
    (the threshold modules' per-sample state, sized by the unlabeled set).

    Args:
        model (nn.Module): The model to load into (unwrapped).
        checkpoint (Mapping[str, Any]): A loaded checkpoint (see :func:`checkpoint_state_dict`).
        source (str): The file, for the message.
        ignore (Iterable[str]): Key patterns not compared (see :func:`state_dict_mismatch`).

    Raises:
        CheckpointMismatchError: Naming the file, the model class and the differences (counts
            and a few keys of each kind).
    """
    params = {name for name, _ in model.named_parameters(remove_duplicate=False)}
    diff = state_dict_mismatch(
        model.state_dict(), checkpoint_state_dict(checkpoint), ignore, shape_keys=params
    )
    if diff is not None:
        raise CheckpointMismatchError(
            f'checkpoint {source} does not fit {type(model).__name__}: {diff}. Is it the '
            'checkpoint of another model or config?'
        )
