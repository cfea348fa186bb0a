"""Tests of the TWAug batch op (temporal warping with 2 / 4 key frames or identity)."""

from __future__ import annotations

import io
from collections import Counter

import pytest
import torch

from avssl.models.augment import TemporalWarp
from avssl.registry import MODELS


def check_pattern(indices: torch.Tensor, num_frames: int, k: int) -> None:
    """Length kept, non-decreasing, exactly k distinct key frames, each at its own position."""
    assert indices.shape == (num_frames,) and indices.dtype == torch.long
    assert (indices[1:] >= indices[:-1]).all()
    keys = indices.unique()
    assert keys.numel() == k
    assert torch.equal(indices[keys], keys)  # every key frame shows at its own position
    assert indices[0] == keys[0] and indices[-1] == keys[-1]


@pytest.mark.parametrize(('probs', 'k'), [((1, 0, 0), 2), ((0, 1, 0), 4), ((0, 0, 1), 8)])
def test_index_patterns(probs: tuple[int, int, int], k: int) -> None:
    warp = TemporalWarp(probs=probs, seed=0)
    seen = set()
    for _ in range(200):
        indices = warp.sample_indices(8)
        check_pattern(indices, 8, k)
        seen.add(tuple(indices.tolist()))
    assert (len(seen) == 1) if k == 8 else (len(seen) > 50)


def test_split_points_are_random() -> None:
    # Keys {0, 2} of 3 frames: the split point 1 or 2 gives [0, 0, 2] or [0, 2, 2].
    warp = TemporalWarp(probs=(1, 0, 0), seed=0)
    seen = Counter(tuple(warp.sample_indices(3).tolist()) for _ in range(300))
    assert {(0, 0, 2), (0, 2, 2)} <= set(seen)
    assert all(len(set(p)) == 2 for p in seen)


def test_more_keys_than_frames_is_identity() -> None:
    warp = TemporalWarp(probs=(0, 1, 0), seed=0)
    assert torch.equal(warp.sample_indices(3), torch.arange(3))


def test_choice_frequencies() -> None:
    warp = TemporalWarp(seed=123)
    counts = Counter(warp.sample_indices(8).unique().numel() for _ in range(3000))
    assert set(counts) == {2, 4, 8}
    for k in (2, 4, 8):
        assert abs(counts[k] / 3000 - 1 / 3) < 0.03, counts


def test_batch_shared_warp() -> None:
    warp = TemporalWarp(probs=(0, 1, 0), seed=1)
    imgs = torch.randn(4, 2, 8, 3, 3)
    before = imgs.clone()
    out = warp(imgs)
    assert torch.equal(imgs, before) and out.shape == imgs.shape
    idx = warp.last_indices
    assert idx.shape == (4, 8) and (idx == idx[0]).all()
    assert torch.equal(out, imgs[:, :, idx[0]])


def test_per_sample_warp_and_views() -> None:
    warp = TemporalWarp(probs=(1, 1, 0), per_sample=True, seed=2)
    imgs = torch.randn(6, 2, 3, 8, 2, 2)  # (B, V, C, T, H, W)
    out = warp(imgs)
    idx = warp.last_indices
    assert out.shape == imgs.shape and idx.shape == (6, 2, 8)
    assert len({tuple(row.tolist()) for row in idx.reshape(12, 8)}) > 1
    for b in range(6):
        for v in range(2):
            assert torch.equal(out[b, v], imgs[b, v][:, idx[b, v]])
    shared = TemporalWarp(seed=2)
    shared(imgs)
    assert (shared.last_indices == shared.last_indices[0, 0]).all()


def test_state_dict_round_trip() -> None:
    warp = TemporalWarp(seed=3)
    for _ in range(5):
        warp.sample_indices(8)
    buffer = io.BytesIO()
    torch.save(warp.state_dict(), buffer)
    expected = [warp.sample_indices(8) for _ in range(20)]
    restored = TemporalWarp(seed=99)
    buffer.seek(0)
    restored.load_state_dict(torch.load(buffer, weights_only=True))
    assert all(torch.equal(restored.sample_indices(8), e) for e in expected)


def test_lazy_seed_from_torch_initial_seed() -> None:
    def draws(seed: int) -> list[list[int]]:
        torch.manual_seed(seed)
        warp = TemporalWarp()
        assert not warp._rng.initialised  # not seeded yet
        return [warp.sample_indices(8).tolist() for _ in range(10)]

    assert draws(5) == draws(5)
    assert draws(5) != draws(6)


def test_registry_and_bad_args() -> None:
    warp = MODELS.build(dict(type='TemporalWarp', probs=(1, 1, 2), per_sample=True))
    assert warp.probs == (0.25, 0.25, 0.5) and warp.per_sample
    with pytest.raises(ValueError, match='probs'):
        TemporalWarp(probs=(0.5, 0.5))
    with pytest.raises(ValueError, match='expects'):
        TemporalWarp(seed=0)(torch.randn(2, 3, 8, 4))


def test_module_apply_still_works() -> None:
    # nn.Module.apply (used by mmengine to move models between devices) must not be shadowed.
    from avssl.models.augment import TemporalWarp

    seen: list[str] = []
    TemporalWarp(seed=0).apply(lambda m: seen.append(type(m).__name__))
    assert seen == ['TemporalWarp']
