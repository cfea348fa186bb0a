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
from avssl.models.mixers.rng import generator_states, load_generator_states, rank_seed

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
