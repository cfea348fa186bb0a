"""Register every avssl and mmaction2 module and set the default scope."""

from __future__ import annotations

import importlib

from mmengine.registry import init_default_scope

#: Subpackages whose import registers classes into :mod:`avssl.registry`.
REGISTERING_PACKAGES = ('avssl.datasets', 'avssl.engine', 'avssl.evaluation', 'avssl.models')


def register_all_modules(init_scope: bool = True) -> None:
    """Import all registering subpackages of avssl and mmaction2.

    Runners do this lazily through the registries' ``locations``; call it outside a Runner
    (tests, notebooks, scripts that build models directly).

    Args:
        init_scope (bool): Also make ``avssl`` the current default scope. Defaults to True.
    """
    from mmaction.utils import register_all_modules as register_mmaction

    register_mmaction(init_default_scope=False)
    for name in REGISTERING_PACKAGES:
        importlib.import_module(name)
    if init_scope:
        init_default_scope('avssl')
