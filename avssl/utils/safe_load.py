"""Load checkpoints without running pickled code; refuse the files that would need to.

A ``.pth`` file is a pickle: loading it with ``weights_only=False`` runs whatever callables it
names (``os.system`` included). torch >= 2.6 defaults to ``weights_only=True``, but mmengine
0.10.7 passes nothing (so ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1`` turns the default off again)
and downloads through ``torch.hub.load_state_dict_from_url``, whose default is still
``weights_only=False``. :func:`patch_mmengine_checkpoint_loaders` replaces mmengine's local and
HTTP(S) loaders, which ``tools/train.py --resume``, ``load_from``, ``tools/test.py`` and
:func:`avssl.apis.init_recognizer` all go through, with loaders that pass ``weights_only=True``
explicitly. A refused file raises :class:`UnsafeCheckpointError`, which names the file and the
callable it tried to import; nothing from the file has run by then.
"""

from __future__ import annotations

import os
import os.path as osp
import pickle
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

import torch
import torch.distributed as dist
from mmengine.runner import checkpoint as mme_checkpoint

from .checkpoint_compat import register_checkpoint_safe_globals

#: ``torch.load``'s ways of naming the global it refused (torch 2.4 - 2.9).
_GLOBAL_PATTERN = re.compile(r'GLOBAL ([\w.]+)')

MapLocation = str | torch.device | Callable | dict | None

#: The file or URL the last call of :func:`load_from_local` / :func:`load_from_http` read.
_last_source: str | None = None


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint file holds pickled objects outside the allow-list; it was not loaded."""


def unsafe_checkpoint_error(source: str, err: BaseException) -> UnsafeCheckpointError:
    """Turn torch's ``weights_only`` refusal into an :class:`UnsafeCheckpointError`.

    Args:
        source (str): The file (or URL) that was refused.
        err (BaseException): What ``torch.load(..., weights_only=True)`` raised.

    Returns:
        UnsafeCheckpointError: ``err`` itself if it already is one, else a new error naming
        ``source`` and the refused global.
    """
    if isinstance(err, UnsafeCheckpointError):
        return err
    found = _GLOBAL_PATTERN.search(str(err))
    what = f'would call {found.group(1)}' if found else 'needs objects'
    return UnsafeCheckpointError(
        f'refused to load checkpoint {source}: unpickling it {what}, which is not a tensor, '
        'number, container or one of the allow-listed checkpoint classes '
        '(avssl.utils.CHECKPOINT_SAFE_GLOBALS). The file may be malicious; nothing in it was '
        'run. Only if you made it yourself, load it in a separate trusted session and re-save '
        'its tensors with torch.save.'
    )


@contextmanager
def refusing_unsafe_pickles(source: str | os.PathLike[str]) -> Iterator[None]:
    """Turn a ``weights_only`` refusal inside the block into an :class:`UnsafeCheckpointError`.

    For code that loads through another ``weights_only=True`` function (e.g.
    :func:`avssl.models.backbones.vit_checkpoint.load_checkpoint_file`) and should fail with
    the clear message.

    Args:
        source (str | PathLike): The file being loaded, for the message.
    """
    try:
        yield
    except pickle.UnpicklingError as err:
        raise unsafe_checkpoint_error(os.fspath(source), err) from err


def safe_torch_load(
    file: str | os.PathLike[str] | IO[bytes],
    map_location: MapLocation = None,
    source: str | None = None,
) -> Any:
    """``torch.load(file, map_location, weights_only=True)`` with the checkpoint allow-list.

    Args:
        file (str | PathLike | IO[bytes]): File name or open binary file.
        map_location: Same as :func:`torch.load`. Defaults to None.
        source (str | None): Name of the file for the error message. Defaults to ``file``.

    Returns:
        Any: The loaded object.

    Raises:
        UnsafeCheckpointError: When the file references anything outside the allow-list.
    """
    register_checkpoint_safe_globals()
    try:
        return torch.load(file, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as err:
        if source is None:
            is_path = isinstance(file, str | os.PathLike)
            source = os.fspath(file) if is_path else str(getattr(file, 'name', file))
        raise unsafe_checkpoint_error(source, err) from err


def last_loaded_source() -> str | None:
    """The file or URL mmengine's checkpoint loader read last in this process (for messages of
    hooks, which receive the loaded checkpoint but not its name); None before any load."""
    return _last_source


def load_from_local(filename: str, map_location: MapLocation) -> Any:
    """mmengine's local checkpoint loader, loading with :func:`safe_torch_load`.

    Args:
        filename (str): Local file (``~`` is expanded).
        map_location: Same as :func:`torch.load`.

    Returns:
        Any: The checkpoint.

    Raises:
        FileNotFoundError: If the file does not exist.
        UnsafeCheckpointError: See :func:`safe_torch_load`.
    """
    global _last_source
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    checkpoint = safe_torch_load(filename, map_location)
    _last_source = filename
    return checkpoint


def load_from_http(
    filename: str, map_location: MapLocation = None, model_dir: str | None = None
) -> Any:
    """mmengine's HTTP(S) checkpoint loader with ``weights_only=True``.

    The file is downloaded into torch's hub cache (rank 0 first, then the other ranks read the
    cached copy), as mmengine does.

    Args:
        filename (str): URL.
        map_location: Same as :func:`torch.load`. Defaults to None.
        model_dir (str | None): Cache folder; torch's default when None.

    Returns:
        Any: The checkpoint.

    Raises:
        UnsafeCheckpointError: See :func:`safe_torch_load`.
    """
    register_checkpoint_safe_globals()
    distributed = dist.is_available() and dist.is_initialized()
    rank = dist.get_rank() if distributed else 0

    def load() -> Any:
        try:
            return torch.hub.load_state_dict_from_url(
                filename, model_dir=model_dir, map_location=map_location, weights_only=True
            )
        except pickle.UnpicklingError as err:
            raise unsafe_checkpoint_error(filename, err) from err

    global _last_source
    checkpoint = load() if rank == 0 else None
    if distributed and dist.get_world_size() > 1:
        dist.barrier()
        if rank > 0:
            checkpoint = load()
    _last_source = filename
    return checkpoint


_patched = False


def patch_mmengine_checkpoint_loaders() -> None:
    """Make mmengine load local and HTTP(S) checkpoints with ``weights_only=True`` (idempotent).

    Registers :func:`load_from_local` and :func:`load_from_http` with mmengine's
    ``CheckpointLoader`` (used by ``Runner.load_checkpoint``, ``Runner.resume`` and
    ``mmengine.runner.load_checkpoint``) and puts them in place of the module functions that
    mmengine's ``modelzoo://``, ``open-mmlab://`` and ``mmcls://`` loaders call by name.
    """
    global _patched
    if _patched:
        return
    loader = mme_checkpoint.CheckpointLoader
    loader.register_scheme(prefixes='', loader=load_from_local, force=True)
    loader.register_scheme(prefixes=('http://', 'https://'), loader=load_from_http, force=True)
    mme_checkpoint.load_from_local = load_from_local
    mme_checkpoint.load_from_http = load_from_http
    _patched = True
