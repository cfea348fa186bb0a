"""Save the python, numpy and torch random states in checkpoints and restore them on resume."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import torch
from mmengine.hooks import Hook
from mmengine.runner import Runner

from avssl.registry import HOOKS

CHECKPOINT_KEY = 'random_states'


def capture_random_states() -> dict[str, Any]:
    """Return the global random states in a form ``torch.load(weights_only=True)`` accepts.

    Returns:
        dict: ``python`` (tuple of ints), ``numpy`` (dict with the MT19937 key as an int64
        tensor), ``torch`` (uint8 tensor) and ``cuda`` (list of uint8 tensors, empty on CPU).
    """
    name, key, pos, has_gauss, cached_gauss = np.random.get_state()
    return {
        'python': random.getstate(),
        'numpy': {
            'bit_generator': str(name),
            'key': torch.from_numpy(np.asarray(key, dtype=np.int64)),
            'pos': int(pos),
            'has_gauss': int(has_gauss),
            'cached_gaussian': float(cached_gauss),
        },
        'torch': torch.get_rng_state(),
        'cuda': torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
    }


def restore_random_states(states: dict[str, Any]) -> None:
    """Set the global random states from :func:`capture_random_states` output.

    Args:
        states (dict): As returned by :func:`capture_random_states`.
    """
    random.setstate(states['python'])
    npy = states['numpy']
    np.random.set_state(
        (
            npy['bit_generator'],
            npy['key'].numpy().astype(np.uint32),
            npy['pos'],
            npy['has_gauss'],
            npy['cached_gaussian'],
        )
    )
    torch.set_rng_state(states['torch'])
    if states['cuda'] and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(states['cuda'])


@HOOKS.register_module()
class RandomStateHook(Hook):
    """Make resumed training continue with the random numbers of an uninterrupted run.

    mmengine re-seeds a resumed run from the configured seed, so a run resumed at iteration
    ``k`` would replay iteration 0's random draws (dropout, augmentation in the main process,
    random masks). This hook stores the global python, numpy and torch states in every
    checkpoint and, when training resumes from it, restores them right before the first
    resumed iteration: after mmengine has rebuilt the data iterator and skipped the batches
    already trained on, so those steps cannot disturb the restored state.

    Exactness holds for data loading in worker processes (``num_workers >= 1``), whose seeds
    mmengine derives from the run's seed; with ``num_workers=0`` the augmentations of the
    skipped batches draw from the main process before the restore, which is fine but no longer
    bit-exact for the data.

    Loading a checkpoint with ``load_from`` (fine-tuning from iteration 0) restores nothing.
    """

    priority = 'VERY_LOW'

    def __init__(self) -> None:
        self._pending: dict[str, Any] | None = None
        self._pending_iter: int | None = None

    def before_save_checkpoint(self, runner: Runner, checkpoint: dict) -> None:
        """Add the current random states under ``checkpoint['random_states']``."""
        checkpoint[CHECKPOINT_KEY] = capture_random_states()

    def after_load_checkpoint(self, runner: Runner, checkpoint: dict) -> None:
        """Keep the saved states until training reaches the checkpoint's iteration."""
        states = checkpoint.get(CHECKPOINT_KEY)
        if states is None:
            self._pending = None
            return
        self._pending = states
        self._pending_iter = int(checkpoint.get('meta', {}).get('iter', -1))

    def before_train_iter(
        self, runner: Runner, batch_idx: int, data_batch: dict | tuple | list | None = None
    ) -> None:
        """Restore the saved states at the first iteration of a resumed run."""
        if self._pending is None:
            return
        if runner.iter == self._pending_iter:
            restore_random_states(self._pending)
            runner.logger.info(f'Restored random states saved at iteration {runner.iter}.')
        self._pending = None
