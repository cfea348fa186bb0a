"""ClipRandAugment: RandAugment drawn once per clip, on the strong view's frames."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from mmengine.dataset import Compose
from torchvision.transforms import RandAugment

from avssl.datasets.transforms import ClipRandAugment


def _clip(frames: int = 8, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.integers(0, 256, (32, 40, 3), dtype=np.uint8) for _ in range(frames)]


def test_shape_dtype_and_list_are_kept() -> None:
    torch.manual_seed(0)
    out = ClipRandAugment()(dict(imgs=_clip()))['imgs']
    assert isinstance(out, list) and len(out) == 8
    assert all(f.shape == (32, 40, 3) and f.dtype == np.uint8 for f in out)


def test_every_frame_gets_the_same_operations() -> None:
    # a clip of one repeated frame stays a clip of one repeated frame: the ops and their signs
    # are drawn once for the clip, not per frame
    frame = _clip(1)[0]
    for seed in range(20):
        torch.manual_seed(seed)
        out = ClipRandAugment(num_ops=3, magnitude=15)(dict(imgs=[frame.copy()] * 6))['imgs']
        assert all(np.array_equal(f, out[0]) for f in out)


def test_it_is_torchvision_randaugment_on_the_stacked_clip() -> None:
    clip = _clip()
    torch.manual_seed(3)
    out = ClipRandAugment(num_ops=2, magnitude=9)(dict(imgs=list(clip)))['imgs']
    torch.manual_seed(3)
    stacked = torch.from_numpy(np.stack(clip)).permute(0, 3, 1, 2)
    ref = RandAugment(num_ops=2, magnitude=9)(stacked).permute(0, 2, 3, 1).numpy()
    np.testing.assert_array_equal(np.stack(out), ref)


def test_seeded_draws_repeat_and_change_the_frames() -> None:
    clip = _clip()
    runs = []
    for _ in range(2):
        torch.manual_seed(7)
        runs.append(np.stack(ClipRandAugment(magnitude=20)(dict(imgs=list(clip)))['imgs']))
    np.testing.assert_array_equal(runs[0], runs[1])
    changed = 0
    for seed in range(10):
        torch.manual_seed(seed)
        out = np.stack(ClipRandAugment(magnitude=20)(dict(imgs=list(clip)))['imgs'])
        changed += int(not np.array_equal(out, np.stack(clip)))
    assert changed >= 8  # the identity op can be drawn twice, rarely


def test_zero_ops_is_the_identity_and_draws_nothing() -> None:
    clip = _clip()
    torch.manual_seed(1)
    out = ClipRandAugment(num_ops=0)(dict(imgs=list(clip)))['imgs']
    after = torch.rand(1)
    torch.manual_seed(1)
    assert torch.equal(after, torch.rand(1))
    assert all(np.array_equal(a, b) for a, b in zip(out, clip, strict=True))


def test_an_array_clip_stays_an_array() -> None:
    torch.manual_seed(0)
    out = ClipRandAugment()(dict(imgs=np.stack(_clip())))['imgs']
    assert isinstance(out, np.ndarray) and out.shape == (8, 32, 40, 3)


def test_bad_input_is_named() -> None:
    with pytest.raises(KeyError, match=r"ClipRandAugment needs the keys \['imgs'\].*clip\.mp4"):
        ClipRandAugment()(dict(filename='clip.mp4'))
    floats = [f.astype(np.float32) for f in _clip()]
    with pytest.raises(ValueError, match=r'uint8 \(H, W, 3\).*float32.*clip\.mp4'):
        ClipRandAugment()(dict(imgs=floats, filename='clip.mp4'))
    with pytest.raises(ValueError, match='num_ops'):
        ClipRandAugment(num_ops=-1)
    with pytest.raises(ValueError, match='magnitude'):
        ClipRandAugment(magnitude=31)


def test_it_builds_from_a_pipeline_config() -> None:
    import avssl.datasets  # noqa: F401  (registers the transforms)

    pipeline = Compose([dict(type='ClipRandAugment', num_ops=1, magnitude=5)])
    torch.manual_seed(0)
    out = pipeline(dict(imgs=_clip()))
    assert len(out['imgs']) == 8
    assert 'ClipRandAugment(num_ops=1, magnitude=5' in repr(pipeline.transforms[0])
