"""Write pretrained state dicts as plain files (the real files' layout) and their manifest."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import torch
from torch import Tensor

from avssl.utils.atomic_io import atomic_write_bytes


def sha256_file(path: str | Path) -> str:
    """Return the hex sha256 of a file.

    Args:
        path (str | Path): The file.

    Returns:
        str: 64 hex digits.
    """
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def export_state_dict(state: Mapping[str, Tensor], path: str | Path) -> str:
    """Save ``state`` as a plain ``{key: tensor}`` file, as timm and torchvision ship weights.

    Tensors are made contiguous CPU float copies so the bytes depend only on the values; the
    file is written atomically.

    Args:
        state (Mapping[str, Tensor]): Key to tensor.
        path (str | Path): Target file.

    Returns:
        str: The file's sha256.
    """
    plain = {k: v.detach().to('cpu').contiguous().clone() for k, v in state.items()}
    buffer = io.BytesIO()
    torch.save(plain, buffer)
    atomic_write_bytes(buffer.getvalue(), path)
    return sha256_file(path)


def write_manifest(path: str | Path, manifest: Mapping[str, Any]) -> None:
    """Write the manifest (JSON, sorted keys, trailing newline) atomically.

    Args:
        path (str | Path): Target file.
        manifest (Mapping[str, Any]): JSON-ready content.
    """
    text = json.dumps(manifest, indent=2, sort_keys=True) + '\n'
    atomic_write_bytes(text.encode('utf-8'), path)


def read_manifest(path: str | Path) -> dict[str, Any]:
    """Read a manifest written by :func:`write_manifest`.

    Args:
        path (str | Path): The manifest.

    Returns:
        dict[str, Any]: Its content.

    Raises:
        FileNotFoundError: If it does not exist.
    """
    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(f'manifest not found: {file}')
    return json.loads(file.read_text(encoding='utf-8'))
