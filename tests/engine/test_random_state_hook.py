"""RandomStateHook: random states go into checkpoints and come back on resume only, on every
rank its own (two gloo processes)."""

from __future__ import annotations

import logging
import os
import random
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import torch
import torch.distributed as torch_dist
import torch.multiprocessing as mp
from mmengine.dist import broadcast
from mmengine.runner.checkpoint import load_state_dict
from torch import nn

from avssl.engine.hooks import RandomStateHook
from avssl.engine.hooks.random_state_hook import capture_random_states, restore_random_states
from avssl.models.augment import TemporalWarp
from avssl.models.mixers import TubeTokenMix
from avssl.models.mixers.rng import state_from_tensor


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


def test_checkpoint_holds_one_entry_per_rank_and_the_old_format_still_loads() -> None:
    model = nn.Module()
    model.mixer = TubeTokenMix(seed=4)
    model.mixer(3, GRID)
    hook = RandomStateHook()
    runner = SimpleNamespace(iter=3, logger=logging.getLogger('test'), model=model)
    checkpoint: dict = {'meta': {'iter': 3}}
    hook.before_save_checkpoint(runner, checkpoint)
    states = checkpoint['random_states']
    assert states['world_size'] == 1 and [s['rank'] for s in states['ranks']] == [0]
    assert set(states['ranks'][0]['generators']) == {'mixer'}
    expected_mix = model.mixer(3, GRID)
    expected_draw = _draw()
    model.mixer(3, GRID)  # move on, then resume
    hook.after_load_checkpoint(runner, checkpoint)
    hook.before_train_iter(runner, batch_idx=3)
    assert all(torch.equal(a, b) for a, b in zip(model.mixer(3, GRID), expected_mix, strict=True))
    assert _draw() == expected_draw
    # The single-state format of older checkpoints restores the global states.
    old: dict = {'meta': {'iter': 3}, 'random_states': capture_random_states()}
    expected_draw = _draw()
    hook.after_load_checkpoint(runner, old)
    hook.before_train_iter(runner, batch_idx=3)
    assert _draw() == expected_draw


# ---------------------------------------------------------------------------------- two ranks
GRID = (2, 3, 3)


class _ListLogger:
    """Collects warnings; drops the rest."""

    def __init__(self) -> None:
        self.warnings: list[str] = []

    def warning(self, message: str) -> None:
        self.warnings.append(message)

    def info(self, message: str) -> None:
        pass


class _Wrapper(nn.Module):
    """A stand-in for DDP: the model under ``module``."""

    def __init__(self, module: nn.Module) -> None:
        super().__init__()
        self.module = module


def _seeded_model() -> nn.Module:
    model = nn.Module()
    model.mixer = TubeTokenMix(per_sample=True)  # seeded lazily from torch.initial_seed()
    model.explicit = TubeTokenMix(seed=5)  # an explicit seed
    model.warp = TemporalWarp(per_sample=True)
    return model


def _draw_all(model: nn.Module) -> dict[str, torch.Tensor]:
    mix, explicit = model.mixer(6, GRID), model.explicit(6, GRID)
    return {
        'mask': mix.mask,
        'lam': mix.lam,
        'partner': mix.partner,
        'explicit_mask': explicit.mask,
        'explicit_lam': explicit.lam,
        'warp': model.warp.sample_indices(8),
        'torch': torch.rand(4),
        'numpy': torch.from_numpy(np.random.rand(4)),
    }


def _rank_worker(rank: int, folder: str, run: str) -> None:
    torch.set_num_threads(1)
    # A rank left waiting in a gather fails after the timeout instead of hanging the tests.
    torch_dist.init_process_group(
        'gloo',
        init_method=f'file://{folder}/pg_{run}',
        rank=rank,
        world_size=2,
        timeout=timedelta(seconds=60),
    )
    try:
        torch.manual_seed(0)  # one global seed on every rank (no diff_rank_seed)
        np.random.seed(0)
        model = _seeded_model()
        for value in model.state_dict().values():  # as Runner._init_model_weights does
            broadcast(value)
        path = os.path.join(folder, f'{run}_iter_2.pth')
        hook, logger = RandomStateHook(), _ListLogger()

        def save_checkpoint() -> None:  # mmengine's Runner.save_checkpoint is master_only
            if rank == 0:
                checkpoint = {'meta': {'iter': 2}, 'state_dict': model.state_dict()}
                hook.before_save_checkpoint(runner, checkpoint)
                torch.save(checkpoint, path)

        runner = SimpleNamespace(
            model=_Wrapper(model), iter=2, logger=logger, save_checkpoint=save_checkpoint
        )
        hook.before_train(runner)  # warns: the global seeds are equal
        first = [_draw_all(model) for _ in range(2)]
        torch.manual_seed(10 + rank)  # from here the global states differ (diff_rank_seed)
        np.random.seed(10 + rank)
        runner.save_checkpoint()  # on every rank, as CheckpointHook calls it
        expected = [_draw_all(model) for _ in range(2)]
        hook.after_train(runner)
        assert runner.save_checkpoint is save_checkpoint
        torch_dist.barrier()

        # Resume: new modules and other global states, the checkpoint that rank 0 wrote.
        torch.manual_seed(1234 + rank)
        checkpoint = torch.load(path, weights_only=True)
        no_hook = _seeded_model()
        load_state_dict(no_hook, checkpoint['state_dict'])
        resumed_model = _seeded_model()
        load_state_dict(resumed_model, checkpoint['state_dict'])
        resumed_hook, resumed_logger = RandomStateHook(), _ListLogger()
        resumed_runner = SimpleNamespace(
            model=resumed_model, iter=2, logger=resumed_logger, save_checkpoint=save_checkpoint
        )
        resumed_hook.after_load_checkpoint(resumed_runner, checkpoint)  # mmengine's order
        resumed_hook.before_train(resumed_runner)  # no warning: the seeds differ
        resumed_hook.before_train_iter(resumed_runner, batch_idx=2)
        resumed = [_draw_all(resumed_model) for _ in range(2)]
        resumed_hook.after_train(resumed_runner)
        result = {
            'first': first,
            'expected': expected,
            'resumed': resumed,
            'no_hook': [_draw_all(no_hook)],
            'warnings': len(logger.warnings),
            'resumed_warnings': len(resumed_logger.warnings),
        }
        torch.save(result, os.path.join(folder, f'{run}_rank{rank}.pth'))
    finally:
        torch_dist.destroy_process_group()


def _same(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor], keys: list[str]) -> bool:
    return all(torch.equal(a[k], b[k]) for k in keys)


MODULE_KEYS = ['mask', 'lam', 'partner', 'explicit_mask', 'explicit_lam', 'warp']


def test_two_ranks_draw_apart_repeat_on_rerun_and_resume_exactly(tmp_path: Path) -> None:
    results = {}
    for run in ('a', 'b'):
        mp.spawn(_rank_worker, args=(str(tmp_path), run), nprocs=2, join=True)
        results[run] = [
            torch.load(tmp_path / f'{run}_rank{r}.pth', weights_only=True) for r in (0, 1)
        ]
    rank0, rank1 = results['a']

    # The ranks draw different lambdas, masks, partners and warps, lazy or explicit seed.
    for step in range(2):
        for key in MODULE_KEYS:
            assert not torch.equal(rank0['first'][step][key], rank1['first'][step][key]), key
    # Rank 0 draws what one process draws with the same seed.
    torch.manual_seed(0)
    np.random.seed(0)
    alone = _seeded_model()
    for step in range(2):
        assert _same(_draw_all(alone), rank0['first'][step], MODULE_KEYS)
    # The same seed gives the same draws on a rerun, on every rank.
    for r in (0, 1):
        for part in ('first', 'expected', 'resumed'):
            for x, y in zip(results['a'][r][part], results['b'][r][part], strict=True):
                assert _same(x, y, list(x)), (r, part)

    # Resume: every rank continues its own streams, module and global ones alike.
    for r, result in enumerate(results['a']):
        for x, y in zip(result['resumed'], result['expected'], strict=True):
            assert _same(x, y, list(x)), r
    assert not torch.equal(rank0['expected'][0]['torch'], rank1['expected'][0]['torch'])
    # Without the hook rank 1 could only derive a stream from rank 0's saved state.
    assert _same(rank0['no_hook'][0], rank0['expected'][0], MODULE_KEYS)
    for key in MODULE_KEYS:
        assert not torch.equal(rank1['no_hook'][0][key], rank1['expected'][0][key]), key
        assert not torch.equal(rank1['no_hook'][0][key], rank0['expected'][0][key]), key

    checkpoint = torch.load(tmp_path / 'a_iter_2.pth', weights_only=True)
    states = checkpoint['random_states']
    assert states['world_size'] == 2 and [s['rank'] for s in states['ranks']] == [0, 1]
    assert state_from_tensor(checkpoint['state_dict']['mixer._extra_state'])['rank'] == 0
    assert [s['generators']['warp']['rank'] for s in states['ranks']] == [0, 1]
    assert rank0['warnings'] == rank1['warnings'] == 1  # the shared global seed
    assert rank0['resumed_warnings'] == rank1['resumed_warnings'] == 0
