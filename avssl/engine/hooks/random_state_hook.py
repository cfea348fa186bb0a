"""Save every rank's random states in checkpoints and give each rank its own back on resume.

The states are the global python, numpy and torch (and CUDA) generators and the private
generators of the model's seeded modules (mix modules, temporal warp; see
:mod:`avssl.models.mixers.rng`).
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from mmengine.dist import all_gather_object, get_rank, get_world_size
from mmengine.hooks import Hook
from mmengine.runner import Runner
from torch import nn

from avssl.models.mixers.rng import generator_states, load_generator_states
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


def capture_rank_states(model: nn.Module | None) -> dict[str, Any]:
    """This process's random states: the global ones and the model's seeded modules'.

    Args:
        model (nn.Module | None): The (possibly wrapped) model; None = no module generators.

    Returns:
        dict: ``rank`` (int), ``global`` (:func:`capture_random_states`) and ``generators``
        (:func:`~avssl.models.mixers.rng.generator_states`, by module name).
    """
    return {
        'rank': get_rank(),
        'global': capture_random_states(),
        'generators': generator_states(model) if model is not None else {},
    }


@HOOKS.register_module()
class RandomStateHook(Hook):
    """Make resumed training continue with the random numbers of an uninterrupted run.

    mmengine re-seeds a resumed run from the configured seed, so a run resumed at iteration
    ``k`` would replay iteration 0's random draws (dropout, augmentation in the main process,
    random masks). This hook stores the random states in every checkpoint and, when training
    resumes from it, restores them right before the first resumed iteration: after mmengine
    has rebuilt the data iterator and skipped the batches already trained on, so those steps
    cannot disturb the restored state.

    DDP: the ranks' states differ (each mix module draws its own stream per rank, and with
    ``randomness.diff_rank_seed=True`` so do the global generators behind dropout and drop
    path), but mmengine writes the checkpoint on rank 0 only (``Runner.save_checkpoint`` is
    ``master_only``, and so is the ``before_save_checkpoint`` call in it). So at
    :meth:`before_train` the hook wraps the runner's ``save_checkpoint``, which
    ``CheckpointHook`` calls on every rank at every save, with an ``all_gather_object`` of
    every rank's states (:func:`capture_rank_states`); rank 0 writes the list as
    ``checkpoint['random_states'] = {'world_size': W, 'ranks': [states of rank 0, ...]}``.
    On resume every rank takes entry ``get_rank()``: the same global states and module
    generators it had at the save. The states are gathered at the moment of the save, as a
    one-process run captures them, and only at saves (no per-iteration communication). The
    one requirement is mmengine's own: ``runner.save_checkpoint`` is called on all ranks (a
    call on rank 0 alone would wait for the others in the gather).

    Resuming with another number of processes cannot be exact: ranks present in the
    checkpoint take their entry, the others keep the states mmengine seeded and the
    rank-folded generators (a warning says so). A checkpoint of the older single-state format
    restores its global states on every rank.

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
        self._gathered: list[dict[str, Any]] | None = None
        self._wrapped: tuple[Any, Callable[..., Any]] | None = None

    # ------------------------------------------------------------------------------ saving
    def before_train(self, runner: Runner) -> None:
        """With several processes: warn about shared global seeds; gather states at saves."""
        if get_world_size() < 2:
            return
        seeds = all_gather_object(torch.initial_seed())
        if len(set(seeds)) < len(seeds):
            runner.logger.warning(
                f'The ranks share the global torch seed ({seeds}): dropout, drop path and '
                'channel dropout draw the same masks on every rank. Set '
                'randomness.diff_rank_seed=True (or tools/train.py --diff-rank-seed).'
            )
        if self._wrapped is not None and self._wrapped[0] is runner:
            return
        original = runner.save_checkpoint

        @functools.wraps(original)
        def save_checkpoint(*args: Any, **kwargs: Any) -> Any:
            self._gathered = all_gather_object(capture_rank_states(runner.model))
            try:
                return original(*args, **kwargs)
            finally:
                self._gathered = None

        runner.save_checkpoint = save_checkpoint
        self._wrapped = (runner, original)

    def after_train(self, runner: Runner) -> None:
        """Put the runner's own ``save_checkpoint`` back."""
        if self._wrapped is not None and self._wrapped[0] is runner:
            runner.save_checkpoint = self._wrapped[1]
            self._wrapped = None

    def before_save_checkpoint(self, runner: Runner, checkpoint: dict) -> None:
        """Add every rank's states (gathered by the wrapped save) under ``random_states``."""
        model = getattr(runner, 'model', None)
        ranks = self._gathered if self._gathered is not None else [capture_rank_states(model)]
        checkpoint[CHECKPOINT_KEY] = {'world_size': len(ranks), 'ranks': list(ranks)}

    # ----------------------------------------------------------------------------- resuming
    def after_load_checkpoint(self, runner: Runner, checkpoint: dict) -> None:
        """Keep this rank's saved states until training reaches the checkpoint's iteration."""
        states = checkpoint.get(CHECKPOINT_KEY)
        self._pending = None if states is None else self._own_states(runner, states)
        self._pending_iter = int(checkpoint.get('meta', {}).get('iter', -1))

    @staticmethod
    def _own_states(runner: Runner, states: dict[str, Any]) -> dict[str, Any] | None:
        """This rank's entry of ``states`` (None if it has none)."""
        if 'ranks' not in states:  # the older format: one process's global states
            return {'global': states, 'generators': {}}
        ranks = states['ranks']
        rank, world = get_rank(), get_world_size()
        if len(ranks) != world:
            runner.logger.warning(
                f'The checkpoint holds the random states of {len(ranks)} processes, this run '
                f'has {world}: the resumed random draws will differ from an uninterrupted run.'
            )
        return ranks[rank] if rank < len(ranks) else None

    def before_train_iter(
        self, runner: Runner, batch_idx: int, data_batch: dict | tuple | list | None = None
    ) -> None:
        """Restore this rank's saved states at the first iteration of a resumed run."""
        if self._pending is None:
            return
        if runner.iter == self._pending_iter:
            restore_random_states(self._pending['global'])
            model = getattr(runner, 'model', None)
            if model is not None and self._pending['generators']:
                missing = load_generator_states(model, self._pending['generators'])
                if missing:
                    runner.logger.warning(
                        f'No saved generator state for the seeded modules {missing}.'
                    )
            runner.logger.info(f'Restored random states saved at iteration {runner.iter}.')
        self._pending = None
