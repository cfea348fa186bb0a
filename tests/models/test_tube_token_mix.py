"""Tests of the token-mix contract, TubeTokenMix and the mixing helpers."""

from __future__ import annotations

import io
import math

import pytest
import torch
from mmengine.runner.checkpoint import load_state_dict
from torch import nn

from avssl.models.mixers import (
    BaseTokenMix,
    MixOutput,
    TubeTokenMix,
    mix_targets,
    mix_tokens,
    mix_weights,
    sample_beta,
)
from avssl.registry import MODELS

GRID = (3, 4, 5)  # T, H', W' -> N = 20


def check_tube(out: MixOutput, batch: int, grid: tuple[int, int, int] = GRID) -> None:
    t, h, w = grid
    assert out.mask.shape == (batch, t, h * w) and out.mask.dtype == torch.bool
    assert out.lam.shape == (batch,) and out.lam.dtype == torch.float32
    assert torch.equal(out.partner.sort().values, torch.arange(batch))
    assert (out.mask == out.mask[:, :1]).all()  # the same positions in every frame


@pytest.mark.parametrize('count', ['round', 'floor'])
def test_exact_count_per_frame(count: str) -> None:
    mix = TubeTokenMix(count=count, per_sample=True, alpha=2.0, beta=2.0, seed=0)
    for _ in range(20):
        out = mix(8, GRID)
        check_tube(out, 8)
        for lam, mask in zip(out.lam.tolist(), out.mask, strict=True):
            kept = round(lam * 20) if count == 'round' else int(lam * 20)
            assert (mask.sum(dim=1) == kept).all()


def test_batch_shared_mask_and_lambda() -> None:
    out = TubeTokenMix(seed=1)(6, GRID)
    check_tube(out, 6)
    assert (out.mask == out.mask[:1]).all() and (out.lam == out.lam[0]).all()


def test_per_sample_masks_differ() -> None:
    out = TubeTokenMix(per_sample=True, seed=1)(6, GRID)
    check_tube(out, 6)
    assert out.lam.unique().numel() == 6
    assert len({tuple(m[0].tolist()) for m in out.mask}) == 6


def test_positions_and_partners_vary() -> None:
    mix = TubeTokenMix(seed=2)
    outs = [mix(5, GRID) for _ in range(30)]
    hits = torch.stack([o.mask[0, 0] for o in outs]).float().mean(0)
    assert (hits > 0).all() and (hits < 1).all()  # every position is sometimes kept, sometimes not
    assert len({tuple(o.partner.tolist()) for o in outs}) > 5


def test_target_lam_kept_fraction() -> None:
    out = TubeTokenMix(target_lam='kept', per_sample=True, seed=3)(4, GRID)
    torch.testing.assert_close(out.lam, out.mask[:, 0].float().mean(1))


def test_seeded_determinism_and_state_round_trip() -> None:
    a, b = TubeTokenMix(seed=7), TubeTokenMix(seed=7)
    for x, y in zip((a(4, GRID) for _ in range(3)), (b(4, GRID) for _ in range(3)), strict=True):
        assert all(torch.equal(u, v) for u, v in zip(x, y, strict=True))

    holder = nn.Module()
    holder.mixer = TubeTokenMix(per_sample=True, seed=11)
    holder.mixer(4, GRID)
    buffer = io.BytesIO()
    torch.save(holder.state_dict(), buffer)
    expected = [holder.mixer(4, GRID) for _ in range(3)]
    fresh = nn.Module()
    fresh.mixer = TubeTokenMix(per_sample=True, seed=0)
    buffer.seek(0)
    load_state_dict(fresh, torch.load(buffer, weights_only=True), strict=True)  # mmengine's loader
    for e in expected:
        got = fresh.mixer(4, GRID)
        assert all(torch.equal(u, v) for u, v in zip(got, e, strict=True))


def test_lazy_seed_differs_from_other_modules() -> None:
    torch.manual_seed(0)
    mix = TubeTokenMix()
    assert not mix._rng.initialised
    first = mix(4, GRID)
    torch.manual_seed(0)
    again = TubeTokenMix()(4, GRID)
    assert torch.equal(first.mask, again.mask)


@pytest.mark.parametrize(('alpha', 'beta'), [(10.0, 10.0), (5.0, 10.0), (0.5, 0.5)])
def test_beta_moments(alpha: float, beta: float) -> None:
    gen = torch.Generator().manual_seed(0)
    x = sample_beta(alpha, beta, 40_000, gen)
    mean = alpha / (alpha + beta)
    var = alpha * beta / ((alpha + beta) ** 2 * (alpha + beta + 1))
    assert ((x >= 0) & (x <= 1)).all()
    assert abs(x.mean().item() - mean) < 4 * math.sqrt(var / x.numel())
    assert abs(x.var().item() / var - 1) < 0.05


def test_beta_matches_distribution() -> None:
    stats = pytest.importorskip('scipy.stats')
    x = sample_beta(10.0, 10.0, 5000, torch.Generator().manual_seed(1))
    assert stats.kstest(x.numpy(), 'beta', args=(10.0, 10.0)).pvalue > 0.01


def test_module_lambda_is_beta_10_10() -> None:
    lam = TubeTokenMix(per_sample=True, seed=4)(20_000, (1, 1, 1)).lam.double()
    assert abs(lam.mean().item() - 0.5) < 0.005
    assert abs(lam.var().item() / (1 / 84) - 1) < 0.05


def test_mix_tokens_picks_a_where_mask() -> None:
    a = torch.arange(2 * 2 * 3 * 2, dtype=torch.float32).reshape(2, 2, 3, 2)
    b = -a - 1
    mask = torch.tensor([[[1, 0, 1], [1, 0, 1]], [[0, 0, 0], [1, 1, 1]]], dtype=torch.bool)
    out = mix_tokens(a, b, mask)
    assert torch.equal(out[0, 0, 0], a[0, 0, 0]) and torch.equal(out[0, 0, 1], b[0, 0, 1])
    assert torch.equal(out[1, 0], b[1, 0]) and torch.equal(out[1, 1], a[1, 1])
    assert torch.equal(out, a * mask[..., None] + b * ~mask[..., None])
    with pytest.raises(ValueError, match='bool'):
        mix_tokens(a, b, mask.float())


def test_mix_targets_and_weights_by_hand() -> None:
    y = torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.2, 0.8]])
    lam = torch.tensor([0.75, 0.5, 0.25])
    partner = torch.tensor([1, 2, 0])
    expected = torch.tensor([[0.75, 0.25], [0.1, 0.9], [0.8, 0.2]])
    torch.testing.assert_close(mix_targets(y, lam, partner), expected)
    passed = torch.tensor([True, False, True])
    torch.testing.assert_close(mix_weights(passed, lam, partner), torch.tensor([0.75, 0.5, 1.0]))
    with pytest.raises(ValueError, match='shape'):
        mix_targets(y, lam[:2], partner)


def test_contract_and_bad_args() -> None:
    mix = MODELS.build(dict(type='TubeTokenMix', per_sample=True))
    assert isinstance(mix, BaseTokenMix) and mix.context_keys == ()
    with pytest.raises(NotImplementedError):
        BaseTokenMix(seed=0)(2, GRID)
    with pytest.raises(ValueError, match='count'):
        TubeTokenMix(count='ceil')
    with pytest.raises(ValueError, match='alpha'):
        TubeTokenMix(alpha=0.0)
    with pytest.raises(ValueError, match='grid'):
        TubeTokenMix(seed=0)(2, (3, 4))
    with pytest.raises(ValueError, match='batch_size'):
        TubeTokenMix(seed=0)(0, GRID)
