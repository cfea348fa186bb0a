"""ASLGuidedMix: exact counts, frame-wise masks, sampling in proportion to the map, averaging."""

from __future__ import annotations

import pytest
import torch

from avssl.models.mixers import ASLGuidedMix, average_adjacent_frames, normalize_maps


def _peaked_maps(batch: int, frames: int, size: int = 4) -> torch.Tensor:
    """One bright cell per frame, at a different place in every frame."""
    maps = torch.zeros(batch, frames, size, size)
    for t in range(frames):
        maps[:, t, t % size, (t * 3) % size] = 10.0
    return maps


def test_exact_count_per_frame_and_output_types() -> None:
    mix = ASLGuidedMix(seed=0)
    out = mix(6, (4, 4, 4), context={'asl_maps': torch.randn(6, 4, 2, 2)})
    assert out.mask.shape == (6, 4, 16) and out.mask.dtype == torch.bool
    kept = torch.round(out.lam.double() * 16).long()
    assert torch.equal(out.mask.sum(dim=-1), kept.view(-1, 1).expand(6, 4))
    assert out.lam.dtype == torch.float32 and out.partner.dtype == torch.long
    assert sorted(out.partner.tolist()) == list(range(6))
    assert out.lam.unique().numel() > 1  # a lambda per clip by default


def test_masks_follow_the_maps_frame_by_frame() -> None:
    # Concentrated lambda (K = 1 of 16) and a map with one hot cell per frame: the kept token
    # is almost surely the hot one, and it moves from frame to frame.
    mix = ASLGuidedMix(alpha=2000.0, beta=30000.0, floor=1e-4, seed=0)
    maps = _peaked_maps(3, 4)
    out = mix(3, (4, 4, 4), context={'asl_maps': maps})
    assert (out.mask.sum(dim=-1) == 1).all()
    hot = maps.flatten(2).argmax(dim=-1)  # (3, 4)
    assert torch.equal(out.mask.float().argmax(dim=-1), hot)
    assert not torch.equal(out.mask[:, 0], out.mask[:, 1])


def test_positions_are_drawn_in_proportion_to_the_map() -> None:
    # 2x2 grid, K = 1 (lambda concentrated at 1/4): position frequencies -> w / sum(w).
    mix = ASLGuidedMix(alpha=2500.0, beta=7500.0, floor=0.5, seed=123)
    ramp = torch.tensor([[0.0, 1.0], [2.0, 3.0]])  # normalised to 0, 1/3, 2/3, 1
    maps = ramp.expand(500, 8, 2, 2)
    out = mix(500, (8, 2, 2), context={'asl_maps': maps})
    assert (out.mask.sum(dim=-1) == 1).all()
    freq = out.mask.float().mean(dim=(0, 1))
    weights = torch.tensor([0.0, 1 / 3, 2 / 3, 1.0]) + 0.5
    expected = weights / weights.sum()  # 0.1667, 0.2222, 0.2778, 0.3333
    # 4,000 draws: the standard error of each share is below 0.0075; allow 4 of them.
    assert torch.allclose(freq, expected, atol=0.03), (freq, expected)


def test_flat_map_still_samples_uniformly() -> None:
    mix = ASLGuidedMix(alpha=2500.0, beta=7500.0, seed=1)
    out = mix(400, (4, 2, 2), context={'asl_maps': torch.zeros(400, 4, 2, 2)})
    assert (out.mask.sum(dim=-1) == 1).all()
    assert torch.allclose(out.mask.float().mean(dim=(0, 1)), torch.full((4,), 0.25), atol=0.04)


def test_a_huge_floor_ignores_the_map() -> None:
    # The flat-map diagnostic (configs/ablations/avssl_tiny_synthav_1shot_auxsum_flatmap.py):
    # floor 1e6 on a map that puts all its mass on one cell gives uniform positions.
    mix = ASLGuidedMix(alpha=2500.0, beta=7500.0, floor=1e6, seed=2)
    maps = torch.tensor([[0.0, 0.0], [0.0, 1.0]]).expand(400, 4, 2, 2)
    out = mix(400, (4, 2, 2), context={'asl_maps': maps})
    assert (out.mask.sum(dim=-1) == 1).all()
    assert torch.allclose(out.mask.float().mean(dim=(0, 1)), torch.full((4,), 0.25), atol=0.04)
    # the same draw at the default floor keeps the hot cell almost always
    peaked = ASLGuidedMix(alpha=2500.0, beta=7500.0, seed=2)(
        400, (4, 2, 2), context={'asl_maps': maps}
    )
    assert peaked.mask.float().mean(dim=(0, 1))[3] > 0.9


def test_averaging_over_adjacent_frames() -> None:
    maps = torch.arange(2 * 4 * 3, dtype=torch.float32).view(1, 4, 6)
    avg = average_adjacent_frames(maps.clone(), 2)
    assert torch.equal(avg[:, 0], avg[:, 1]) and torch.equal(avg[:, 2], avg[:, 3])
    assert torch.allclose(avg[0, 0], (maps[0, 0] + maps[0, 1]) / 2)
    assert torch.equal(average_adjacent_frames(maps, 1), maps)
    with pytest.raises(ValueError, match='divide'):
        average_adjacent_frames(maps, 3)
    mix = ASLGuidedMix(average_frames=4, seed=0)
    weights = mix.sampling_weights(_peaked_maps(2, 4), (4, 4, 4))
    assert all(torch.equal(weights[:, 0], weights[:, t]) for t in range(4))


def test_normalised_maps_span_zero_to_one_on_the_token_grid() -> None:
    norm = normalize_maps(torch.randn(2, 3, 7, 7) * 5 + 2, (14, 14))
    assert norm.shape == (2, 3, 196)
    assert torch.allclose(norm.amin(dim=-1), torch.zeros(2, 3))
    assert torch.allclose(norm.amax(dim=-1), torch.ones(2, 3), atol=1e-5)


def test_same_seed_same_masks_and_clear_errors() -> None:
    maps = torch.randn(4, 2, 3, 3)
    a = ASLGuidedMix(seed=7)(4, (2, 3, 3), context={'asl_maps': maps})
    b = ASLGuidedMix(seed=7)(4, (2, 3, 3), context={'asl_maps': maps})
    assert torch.equal(a.mask, b.mask) and torch.equal(a.partner, b.partner)
    with pytest.raises(KeyError, match='asl_maps'):
        ASLGuidedMix(seed=0)(4, (2, 3, 3))
    with pytest.raises(ValueError, match='T=2'):
        ASLGuidedMix(seed=0)(4, (2, 3, 3), context={'asl_maps': torch.randn(4, 3, 3, 3)})
    with pytest.raises(ValueError, match='floor'):
        ASLGuidedMix(floor=0.0)
