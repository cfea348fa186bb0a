"""The fault guards ``tools/train.py`` and ``tools/test.py`` add to every config.

They are added by the tools rather than listed in ``configs/_base_/default_runtime.py`` because
recipes replace ``custom_hooks`` wholesale (the semi-supervised ones list their own), and a
guard that a recipe can drop by accident is not a guard. A config that lists a guard keeps its
own entry (and arguments).
"""

from __future__ import annotations

from collections.abc import Sequence

from mmengine.config import Config

#: Guards of a training run: non-finite losses and weights, checkpoints of another model.
TRAIN_GUARD_HOOKS = ('FiniteGuardHook', 'CheckpointFitHook')
#: Guards of a test run: checkpoints of another model.
TEST_GUARD_HOOKS = ('CheckpointFitHook',)


def _type_name(hook: object) -> str:
    kind = hook.get('type', '') if isinstance(hook, dict) else type(hook).__name__
    return (kind if isinstance(kind, str) else kind.__name__).split('.')[-1]


def add_guard_hooks(cfg: Config, hook_types: Sequence[str]) -> list[str]:
    """Append ``dict(type=name)`` to ``cfg.custom_hooks`` for each guard it does not list.

    Args:
        cfg (Config): The config (modified in place).
        hook_types (Sequence[str]): Hook class names, e.g. :data:`TRAIN_GUARD_HOOKS`.

    Returns:
        list[str]: The names that were added.
    """
    hooks = list(cfg.get('custom_hooks') or [])
    present = {_type_name(h) for h in hooks}
    added = [name for name in hook_types if name not in present]
    cfg.custom_hooks = hooks + [dict(type=name) for name in added]
    return added
