"""Let mmengine 0.10.7 resolve ``mmaction::`` base configs of mmaction2 1.1.0.

mmengine looks an external config up in the package's model index before treating it as a
base file. mmaction2 1.1.0's BSN metafile lists three files under one ``Config`` entry; mmengine
calls ``str.partition`` on that list and raises ``AttributeError``, so every ``mmaction::``
``_base_`` fails, whatever file it names. The wrapper below turns that failure into the
``ValueError`` mmengine already handles by falling back to ``<package>/.mim/configs/<path>``,
which is where base configs live.
"""

from __future__ import annotations

from collections.abc import Callable

import mmengine.config.config as mmengine_config

_original: Callable[[str, str], str] | None = None


def _external_cfg_path(package_path: str, cfg_file: str) -> str:
    assert _original is not None
    try:
        return _original(package_path, cfg_file)
    except (AttributeError, KeyError, TypeError) as exc:
        raise ValueError(f'no model-index entry for {cfg_file}: {exc}') from exc


def patch_external_config_lookup() -> None:
    """Install the wrapper around mmengine's external-config lookup (idempotent)."""
    global _original
    if _original is not None:
        return
    _original = mmengine_config._get_external_cfg_path
    mmengine_config._get_external_cfg_path = _external_cfg_path
