"""RandomStateHook: random states go into checkpoints and come back on resume only."""

from __future__ import annotations

import logging
import random
from types import SimpleNamespace

import numpy as np
import torch

from avssl.engine.hooks import RandomStateHook
from avssl.engine.hooks.random_state_hook import capture_random_states, restore_random_states


def _draw() -> tuple[float, float, float]:
    return random.random(), float(np.random.rand()), float(torch.rand(1))


def test_capture_restore_roundtrip() -> None:
    np.random.randn()  # leave a cached gaussian in numpy's state
    states = capture_random_states()
    first = _draw()
    _draw()
    restore_random_states(states)
    assert _draw() == first


def test_states_survive_weights_only_load(tmp_path) -> None:
    import avssl  # noqa: F401  (registers the allow-list)

    path = tmp_path / 's.pth'
    torch.save({'random_states': capture_random_states()}, path)
    states = torch.load(path, weights_only=True)['random_states']
    first = _draw()
    restore_random_states(states)
    assert _draw() == first


def _runner(iteration: int) -> SimpleNamespace:
    return SimpleNamespace(iter=iteration, logger=logging.getLogger('test'))


def test_hook_restores_on_resume_at_the_checkpoint_iteration() -> None:
    hook = RandomStateHook()
    checkpoint: dict = {'meta': {'iter': 3}}
    hook.before_save_checkpoint(_runner(3), checkpoint)
    expected = _draw()
    _draw()
    hook.after_load_checkpoint(_runner(3), checkpoint)
    hook.before_train_iter(_runner(3), batch_idx=3)
    assert _draw() == expected
    # Only once: later iterations draw on.
    hook.before_train_iter(_runner(4), batch_idx=4)
    assert _draw() != expected


def test_hook_ignores_load_from_for_fine_tuning() -> None:
    hook = RandomStateHook()
    checkpoint: dict = {'meta': {'iter': 3}}
    hook.before_save_checkpoint(_runner(3), checkpoint)
    saved = _draw()
    hook.after_load_checkpoint(_runner(0), checkpoint)
    hook.before_train_iter(_runner(0), batch_idx=0)  # a new run from iteration 0
    assert _draw() != saved
