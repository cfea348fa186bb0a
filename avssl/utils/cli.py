"""Turn the command-line arguments of ``tools/train.py`` and ``tools/test.py`` into a config.

The checks here make mistakes fail at start-up with the offending key or file named, instead of
being silently ignored (mmengine adds unknown ``--cfg-options`` keys without a word) or failing
late inside the Runner.
"""

from __future__ import annotations

import difflib
import os
import os.path as osp
from collections.abc import Mapping
from typing import Any

import torch
from mmengine.config import Config

#: Top-level keys the mmengine Runner reads (``Runner.from_cfg`` and ``Runner.__init__``).
RUNNER_KEYS = frozenset(
    {
        'model', 'work_dir', 'train_dataloader', 'val_dataloader', 'test_dataloader',
        'train_cfg', 'val_cfg', 'test_cfg', 'auto_scale_lr', 'optim_wrapper', 'param_scheduler',
        'val_evaluator', 'test_evaluator', 'default_hooks', 'custom_hooks', 'data_preprocessor',
        'load_from', 'resume', 'launcher', 'env_cfg', 'log_processor', 'log_level', 'visualizer',
        'default_scope', 'randomness', 'experiment_name', 'model_wrapper_cfg', 'sync_bn',
        'find_unused_parameters', 'compile', 'strategy', 'vis_backends',
    }
)  # fmt: skip


class ConfigKeyError(KeyError):
    """A ``--cfg-options`` key does not exist in the config; the message names it."""

    def __str__(self) -> str:  # KeyError quotes its message; print it plainly
        return str(self.args[0])


def _suggest(name: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=3)
    return f' (did you mean {", ".join(close)}?)' if close else ''


def check_cfg_options(cfg: Config, options: Mapping[str, Any]) -> None:
    """Check that every ``--cfg-options`` key path leads through existing config entries.

    Every component but the last must exist (a typo such as ``modle.backbone.depth`` or
    ``train_cfg.max_iter.x`` is an error). The last component may be new inside an existing
    dict (a new keyword argument, which the built class then validates itself), but a new
    top-level key must be one the Runner reads. List indices (``pipeline.0.type``) are allowed.

    Args:
        cfg (Config): The loaded config.
        options (Mapping[str, Any]): Parsed ``--cfg-options`` (``DictAction`` output).

    Raises:
        ConfigKeyError: Naming the bad key and the closest existing keys.
    """
    for full_key in options:
        parts = full_key.split('.')
        node: Any = cfg._cfg_dict
        for depth, part in enumerate(parts):
            is_last = depth == len(parts) - 1
            path = '.'.join(parts[: depth + 1])
            if isinstance(node, list | tuple):
                if not part.isdigit() or int(part) >= len(node):
                    raise ConfigKeyError(
                        f'--cfg-options {full_key}: {path} is not an index of a list of '
                        f'length {len(node)}'
                    )
                node = node[int(part)]
                continue
            if not isinstance(node, Mapping):
                parent = '.'.join(parts[:depth])
                raise ConfigKeyError(
                    f'--cfg-options {full_key}: {parent} is a {type(node).__name__}, not a dict'
                )
            if part not in node:
                if is_last and (depth > 0 or part in RUNNER_KEYS):
                    break
                raise ConfigKeyError(
                    f'--cfg-options {full_key}: the config has no key {path}'
                    + _suggest(part, [str(k) for k in node])
                )
            node = node[part]


def merge_cfg_options(cfg: Config, cfg_options: Mapping[str, Any] | None) -> Config:
    """Merge ``--cfg-options`` into ``cfg`` in place after :func:`check_cfg_options`.

    Args:
        cfg (Config): The loaded config.
        cfg_options (Mapping | None): Key paths and values; None or empty changes nothing.

    Returns:
        Config: ``cfg``.
    """
    if cfg_options:
        check_cfg_options(cfg, cfg_options)
        cfg.merge_from_dict(dict(cfg_options))
    return cfg


def load_config(path: str, cfg_options: Mapping[str, Any] | None = None) -> Config:
    """Read a config file and apply checked ``--cfg-options`` (:func:`merge_cfg_options`).

    Args:
        path (str): Config file.
        cfg_options (Mapping | None): ``--cfg-options`` key paths and values. Defaults to None.

    Returns:
        Config: The config with the options merged in.
    """
    return merge_cfg_options(Config.fromfile(path), cfg_options)


def resolve_checkpoint(path: str, key: str = 'checkpoint') -> str:
    """Return a checkpoint file path, accepting a work dir that holds ``last_checkpoint``.

    Args:
        path (str): A ``.pth`` file, or a work directory written by a training run.
        key (str): What the path was given as, for the error message. Defaults to
            ``'checkpoint'``.

    Returns:
        str: Path of an existing checkpoint file (URLs are returned unchanged).

    Raises:
        FileNotFoundError: Naming ``key`` and the path.
    """
    if '://' in path:
        return path
    if osp.isdir(path):
        marker = osp.join(path, 'last_checkpoint')
        if not osp.isfile(marker):
            raise FileNotFoundError(
                f'{key}: {path} is a directory without a last_checkpoint file; give a .pth file'
            )
        with open(marker, encoding='utf-8') as f:
            path = f.read().strip()
    if not osp.isfile(path):
        raise FileNotFoundError(f'{key}: checkpoint file not found: {path}')
    return path


def apply_common_args(
    cfg: Config,
    config_path: str,
    work_dir: str | None,
    cfg_options: Mapping[str, Any] | None,
    launcher: str,
) -> Config:
    """Apply ``--cfg-options``, ``--work-dir`` and ``--launcher`` to a config.

    Args:
        cfg (Config): The loaded config (modified in place).
        config_path (str): Path of the config file; names the default work dir.
        work_dir (str | None): ``--work-dir``; default ``work_dirs/<config name>``.
        cfg_options (Mapping | None): Parsed ``--cfg-options``.
        launcher (str): ``--launcher``.

    Returns:
        Config: ``cfg``.
    """
    merge_cfg_options(cfg, cfg_options)
    cfg.launcher = launcher
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('work_dirs', osp.splitext(osp.basename(config_path))[0])
    if not torch.cuda.is_available() and launcher != 'none':
        cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})['backend'] = 'gloo'
    os.environ.setdefault('LOCAL_RANK', '0')
    return cfg


def enable_amp(cfg: Config) -> None:
    """Switch the optimizer wrapper to ``AmpOptimWrapper``.

    Raises:
        RuntimeError: On a machine without CUDA (mmengine's AMP wrapper asserts there).
    """
    if not torch.cuda.is_available():
        raise RuntimeError('--amp needs a CUDA device; this machine has none (drop --amp)')
    wrapper = cfg.optim_wrapper.get('type', 'OptimWrapper')
    if wrapper not in ('OptimWrapper', 'AmpOptimWrapper'):
        raise ValueError(f'--amp cannot replace the optimizer wrapper type {wrapper!r}')
    cfg.optim_wrapper.type = 'AmpOptimWrapper'
    cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
