"""Module generators: the rank folded into the seed, states across ranks, states by name.

These tests pretend to be another rank by patching ``get_rank``; the real two-process checks
(gloo) are in ``tests/engine/test_random_state_hook.py``.
"""

from __future__ import annotations

import zlib

import pytest
import torch
from torch import nn

from avssl.models.augment import TemporalWarp
from avssl.models.mixers import ModuleGenerator, TubeTokenMix
from avssl.models.mixers import rng as rng_module
from avssl.models.mixers.rng import (
    generator_states,
    load_generator_states,
    rank_seed,
    state_from_tensor,
    state_to_tensor,
)

GRID = (2, 3, 3)


def _as_rank(monkeypatch: pytest.MonkeyPatch, rank: int) -> None:
    monkeypatch.setattr(rng_module, 'get_rank', lambda: rank)


def _draws(gen: ModuleGenerator, n: int = 4) -> list[float]:
    return torch.rand(n, generator=gen.get()).tolist()


def test_rank_seed_keeps_rank_zero_and_separates_the_others() -> None:
    assert rank_seed(123, 0) == 123
    assert rank_seed(-1, 0) == 2**63 - 1  # reduced like manual_seed's argument always was
    seeds = [rank_seed(123, r) for r in range(64)]
    assert len(set(seeds)) == 64 and all(0 <= s < 2**63 for s in seeds)
    assert seeds == [rank_seed(123, r) for r in range(64)]  # a pure function
    # mmengine's diff_rank_seed already gives rank r the seed s + r: still no collision.
    shifted = [rank_seed(123 + r, r) for r in range(64)]
    assert len(set(shifted) | set(seeds)) == 127  # only rank 0 (123, 0) is in both lists
    with pytest.raises(ValueError, match='rank'):
        rank_seed(1, -1)


@pytest.mark.parametrize('seed', [7, None])
def test_each_rank_draws_its_own_stream(monkeypatch: pytest.MonkeyPatch, seed: int | None) -> None:
    def draws(rank: int) -> list[float]:
        _as_rank(monkeypatch, rank)
        torch.manual_seed(0)  # the lazy seed reads torch.initial_seed()
        return _draws(ModuleGenerator(seed, salt='X'))

    per_rank = [draws(r) for r in range(4)]
    assert len({tuple(d) for d in per_rank}) == 4
    assert per_rank == [draws(r) for r in range(4)]  # the same seed, the same draws
    # Rank 0 draws what a generator seeded the old way (no rank) draws.
    base = seed if seed is not None else 0 + zlib.crc32(b'X')
    assert per_rank[0] == torch.rand(4, generator=torch.Generator().manual_seed(base)).tolist()


def test_state_of_the_same_rank_is_restored_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    _as_rank(monkeypatch, 1)
    gen = ModuleGenerator(3)
    _draws(gen)
    state = gen.state_dict()
    assert state['rank'] == 1
    expected = _draws(gen)
    fresh = ModuleGenerator(99)
    fresh.load_state_dict(state)
    assert _draws(fresh) == expected


def test_state_of_another_rank_reseeds_distinctly(monkeypatch: pytest.MonkeyPatch) -> None:
    _as_rank(monkeypatch, 0)
    gen = ModuleGenerator(3)
    _draws(gen)
    state = gen.state_dict()
    rank0_next = _draws(gen)
    loaded = {}
    for rank in (1, 2):
        _as_rank(monkeypatch, rank)
        copies = [ModuleGenerator(), ModuleGenerator()]
        for copy in copies:
            copy.load_state_dict(state)
        loaded[rank] = [_draws(c) for c in copies]
        assert loaded[rank][0] == loaded[rank][1]  # deterministic
        assert loaded[rank][0] != rank0_next  # not rank 0's stream
        assert copies[0].state_dict()['rank'] == rank
    assert loaded[1][0] != loaded[2][0]
    # A state without 'rank' (older checkpoints) is rank 0's: exact on rank 0 only.
    _as_rank(monkeypatch, 0)
    old = ModuleGenerator()
    old.load_state_dict({'seed': 3, 'rng_state': state['rng_state']})
    assert _draws(old) == rank0_next


def test_unused_generator_state_stays_lazy(monkeypatch: pytest.MonkeyPatch) -> None:
    _as_rank(monkeypatch, 1)
    state = ModuleGenerator(5).state_dict()
    assert state == {'seed': 5, 'rng_state': None, 'rank': None}
    gen = ModuleGenerator()
    gen.load_state_dict(state)
    assert not gen.initialised and gen.seed == 5
    assert _draws(gen) == _draws(ModuleGenerator(5))


class _Wrapper(nn.Module):
    """A stand-in for DDP: the model under ``module``."""

    def __init__(self, module: nn.Module) -> None:
        super().__init__()
        self.module = module


def _holder(seed: int) -> nn.Module:
    holder = nn.Module()
    holder.mixer = TubeTokenMix(seed=seed)
    holder.inner = nn.Sequential(TemporalWarp(seed=seed + 1))
    holder.linear = nn.Linear(2, 2)
    return holder


def test_generator_states_by_module_name() -> None:
    holder = _holder(1)
    holder.mixer(3, GRID)
    states = generator_states(_Wrapper(holder))  # names of the bare model
    assert set(states) == {'mixer', 'inner.0'}
    expected_mix = holder.mixer(3, GRID)
    expected_warp = holder.inner[0].sample_indices(6)

    other = _holder(50)
    assert load_generator_states(_Wrapper(other), states) == []
    assert all(torch.equal(a, b) for a, b in zip(other.mixer(3, GRID), expected_mix, strict=True))
    assert torch.equal(other.inner[0].sample_indices(6), expected_warp)
    assert load_generator_states(other, {'mixer': states['mixer']}) == ['inner.0']


def test_extra_state_is_one_tensor_that_round_trips(monkeypatch: pytest.MonkeyPatch) -> None:
    _as_rank(monkeypatch, 2)
    cases = [
        {'seed': None, 'rng_state': None, 'rank': None},
        {'seed': -(2**63), 'rng_state': None, 'rank': None},
        {'seed': 2**63 - 1, 'rng_state': torch.Generator().manual_seed(4).get_state(), 'rank': 0},
        {'seed': None, 'rng_state': torch.Generator().manual_seed(5).get_state(), 'rank': 3},
    ]
    for state in cases:
        packed = state_to_tensor(state)
        assert packed.dtype == torch.uint8 and packed.dim() == 1
        back = state_from_tensor(packed)
        assert back['seed'] == state['seed'] and back['rank'] == state['rank']
        if state['rng_state'] is None:
            assert back['rng_state'] is None
        else:
            assert torch.equal(back['rng_state'], state['rng_state'])
    # A module's extra state is that tensor (mmengine broadcasts every state-dict value in
    # DDP, which fails on a dict); the plain dict of older checkpoints still loads.
    mix = TubeTokenMix(seed=8)
    mix(2, GRID)
    extra = mix.state_dict()['_extra_state']
    assert isinstance(extra, torch.Tensor)
    expected = mix(2, GRID)
    fresh, old = TubeTokenMix(), TubeTokenMix()
    fresh.set_extra_state(extra)
    old.set_extra_state(state_from_tensor(extra))
    for module in (fresh, old):
        assert all(torch.equal(a, b) for a, b in zip(module(2, GRID), expected, strict=True))
    with pytest.raises(ValueError, match='not a generator state'):
        state_from_tensor(torch.zeros(3, dtype=torch.uint8))
    bad = state_to_tensor(cases[0]).view(torch.int64).clone()
    bad[0] = 99
    with pytest.raises(ValueError, match='format 99'):
        state_from_tensor(bad.view(torch.uint8))
    with pytest.raises(ValueError, match='64 signed bits'):
        ModuleGenerator(2**63)
