"""Registries of avssl: one child of every mmaction2 registry, scope ``avssl``.

The children are generated from :mod:`mmaction.registry`, so a registry that mmaction2 adds is
mirrored here without anyone having to remember it. With ``default_scope = 'avssl'`` a config
can name avssl classes, mmaction2 classes and mmengine classes alike: lookups fall back from
the child to its mmaction2 parent and then to mmengine's root.

Each child lists as its ``locations`` the avssl package that registers into it and its parent's
own locations: mmengine's ``Registry.get`` falls back to a parent's entries without importing
the parent's modules, so the child imports them (lazily, on first use) for it.
"""

from __future__ import annotations

import importlib.util

import mmaction.registry as _mmaction_registry
from mmengine.registry import Registry

#: avssl subpackages that register classes, per mmaction2 registry attribute name. Registries
#: not listed import the whole set, which is cheap once imported and never wrong.
_LOCATIONS: dict[str, list[str]] = {
    'DATASETS': ['avssl.datasets'],
    'DATA_SAMPLERS': ['avssl.datasets'],
    'TRANSFORMS': ['avssl.datasets'],
    'MODELS': ['avssl.models'],
    'MODEL_WRAPPERS': ['avssl.engine'],
    'HOOKS': ['avssl.engine'],
    'LOOPS': ['avssl.engine'],
    'METRICS': ['avssl.evaluation'],
}
_ALL_LOCATIONS = sorted({loc for locs in _LOCATIONS.values() for loc in locs})


def _mmaction_registries() -> dict[str, Registry]:
    """Return every registry that :mod:`mmaction.registry` defines, by attribute name."""
    return {
        name: value
        for name, value in vars(_mmaction_registry).items()
        if isinstance(value, Registry) and value.scope == 'mmaction'
    }


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def _make_children() -> dict[str, Registry]:
    children = {}
    for name, parent in _mmaction_registries().items():
        # mmaction2 1.1.0 names a few locations that do not exist (``mmaction.mmengine``).
        parent_locations = [loc for loc in parent._locations if _importable(loc)]
        children[name] = Registry(
            parent.name,
            parent=parent,
            scope='avssl',
            locations=_LOCATIONS.get(name, _ALL_LOCATIONS) + parent_locations,
        )
    return children


MMACTION_REGISTRIES: dict[str, Registry] = _mmaction_registries()
AVSSL_REGISTRIES: dict[str, Registry] = _make_children()
globals().update(AVSSL_REGISTRIES)

# Explicit names for readers and type checkers; the assertion keeps them in sync with mmaction2.
RUNNERS: Registry = AVSSL_REGISTRIES['RUNNERS']
RUNNER_CONSTRUCTORS: Registry = AVSSL_REGISTRIES['RUNNER_CONSTRUCTORS']
LOOPS: Registry = AVSSL_REGISTRIES['LOOPS']
HOOKS: Registry = AVSSL_REGISTRIES['HOOKS']
DATASETS: Registry = AVSSL_REGISTRIES['DATASETS']
DATA_SAMPLERS: Registry = AVSSL_REGISTRIES['DATA_SAMPLERS']
TRANSFORMS: Registry = AVSSL_REGISTRIES['TRANSFORMS']
MODELS: Registry = AVSSL_REGISTRIES['MODELS']
MODEL_WRAPPERS: Registry = AVSSL_REGISTRIES['MODEL_WRAPPERS']
WEIGHT_INITIALIZERS: Registry = AVSSL_REGISTRIES['WEIGHT_INITIALIZERS']
OPTIMIZERS: Registry = AVSSL_REGISTRIES['OPTIMIZERS']
OPTIM_WRAPPERS: Registry = AVSSL_REGISTRIES['OPTIM_WRAPPERS']
OPTIM_WRAPPER_CONSTRUCTORS: Registry = AVSSL_REGISTRIES['OPTIM_WRAPPER_CONSTRUCTORS']
PARAM_SCHEDULERS: Registry = AVSSL_REGISTRIES['PARAM_SCHEDULERS']
METRICS: Registry = AVSSL_REGISTRIES['METRICS']
EVALUATOR: Registry = AVSSL_REGISTRIES['EVALUATOR']
TASK_UTILS: Registry = AVSSL_REGISTRIES['TASK_UTILS']
VISUALIZERS: Registry = AVSSL_REGISTRIES['VISUALIZERS']
VISBACKENDS: Registry = AVSSL_REGISTRIES['VISBACKENDS']
LOG_PROCESSORS: Registry = AVSSL_REGISTRIES['LOG_PROCESSORS']
INFERENCERS: Registry = AVSSL_REGISTRIES['INFERENCERS']
FUNCTION: Registry = AVSSL_REGISTRIES['FUNCTION']

__all__ = sorted(AVSSL_REGISTRIES) + ['AVSSL_REGISTRIES', 'MMACTION_REGISTRIES']
