"""avssl.pretrain.av_sync and tools/pretrain/av_sync_probe.py: the synchrony pretraining probe."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
from helpers import load_tool

from avssl.pretrain.av_sync import (
    AVSyncNet,
    FrameAlignedSyncHead,
    class_pair_batch,
    pulse_match,
    sync_partners,
    window_envelope,
)

LABELS = np.array([0, 0, 0, 1, 1, 2, 2, 2, 3, 3])


def test_pair_batch_draws_two_distinct_clips_of_one_class_per_pair() -> None:
    idx = class_pair_batch(LABELS, 12, torch.Generator().manual_seed(0))
    assert idx.shape == (12,)
    pairs = idx.view(-1, 2)
    assert (LABELS[pairs[:, 0].numpy()] == LABELS[pairs[:, 1].numpy()]).all()
    assert (pairs[:, 0] != pairs[:, 1]).all()
    again = class_pair_batch(LABELS, 12, torch.Generator().manual_seed(0))
    assert torch.equal(idx, again)


def test_pair_batch_rejects_odd_sizes_and_single_clip_classes() -> None:
    with pytest.raises(ValueError, match='even'):
        class_pair_batch(LABELS, 5, torch.Generator())
    with pytest.raises(ValueError, match=r'classes \[7\]'):
        class_pair_batch(np.array([0, 0, 7]), 4, torch.Generator())


def test_partners_same_swaps_pair_mates_and_other_takes_the_previous_pair() -> None:
    gen = torch.Generator().manual_seed(0)
    assert sync_partners(6, 'same', gen).tolist() == [1, 0, 3, 2, 5, 4]
    assert sync_partners(6, 'other', gen).tolist() == [4, 5, 0, 1, 2, 3]
    mixed = sync_partners(40, 'mixed', gen)
    same, other = sync_partners(40, 'same', gen), sync_partners(40, 'other', gen)
    from_same = mixed == same
    assert (from_same | (mixed == other)).all()
    # drawn per class pair: both items of a pair take the same kind, and both kinds occur
    assert torch.equal(from_same.view(-1, 2)[:, 0], from_same.view(-1, 2)[:, 1])
    assert 0 < int(from_same.sum()) < 40
    # on a class-pair batch, 'same' partners share the class and 'other' partners do not
    idx = torch.tensor([0, 1, 3, 4, 5, 6])
    labels = torch.from_numpy(LABELS)[idx]
    assert torch.equal(labels[sync_partners(6, 'same', gen)], labels)
    assert (labels[sync_partners(6, 'other', gen)] != labels).all()


def test_partners_reject_unknown_kinds_and_tiny_batches() -> None:
    with pytest.raises(ValueError, match='kind'):
        sync_partners(4, 'shifted', torch.Generator())
    with pytest.raises(ValueError, match='two class pairs'):
        sync_partners(2, 'same', torch.Generator())


@pytest.mark.parametrize('tokens', ['all', 'cls'])
def test_sync_net_scores_own_then_partner_audio(tokens: str) -> None:
    torch.manual_seed(0)
    net = AVSyncNet(None, None, tokens=tokens).eval()
    frames = torch.rand(4, 3, 8, 112, 112) * 255
    audio = torch.randn(4, 1, 256, 128)
    with torch.no_grad():
        logits = net(frames, audio, torch.tensor([1, 0, 3, 2]))
        swapped = net(frames, audio[[1, 0, 3, 2]], torch.tensor([1, 0, 3, 2]))
    assert logits.shape == (4, 2)
    # column 0 scores each clip's own audio, column 1 its partner's: swapping the audio swaps them
    assert torch.allclose(logits.flip(1), swapped, atol=1e-5)


def test_probe_tool_trains_and_writes_its_curve(tiny_synthav: Path, tmp_path: Path) -> None:
    tool = load_tool('tools/pretrain/av_sync_probe.py')
    data = tmp_path / 'set'
    shutil.copytree(tiny_synthav, data)  # the tool writes its decoded cache into the set
    out = tmp_path / 'probe'
    args = ['--data', str(data), '--val-split', 'train', '--steps', '2', '--batch', '4']
    assert tool.main([*args, '--eval-every', '1', '--scratch', '--out', str(out)]) == 0
    record = json.loads((out / 'probe.json').read_text())
    assert [p['step'] for p in record['curve']] == [1, 2]
    for point in record['curve']:
        assert 0.0 <= point['val_same'] <= 1.0 and 0.0 <= point['val_other'] <= 1.0
        assert np.isfinite(point['train_loss'])
    assert record['chance'] == 0.5 and record['args']['negatives'] == 'same'
    state = torch.load(out / 'sync.pth', map_location='cpu', weights_only=True)
    assert 'head.weight' in state and any(k.startswith('fusion.') for k in state)


def test_window_envelope_reads_the_energy_around_each_time() -> None:
    logmel = np.zeros((256, 4), np.float32)
    logmel[100:105] = 2.0  # filterbank frames 100-104: centred at 0.5 + 0.0125 + 1.00-1.04 s
    env = window_envelope(logmel, np.array([1.5345, 0.8]), window_start=0.5)
    assert env[0] == pytest.approx(2.0)  # frame 102 +- 2: all five lit
    assert env[1] == pytest.approx(0.0)
    with pytest.raises(ValueError, match='outside the log-mel window starting at 0.500'):
        window_envelope(logmel, np.array([4.0]), window_start=0.5)


def test_pulse_match_prefers_the_envelope_some_pixels_follow() -> None:
    rng = np.random.default_rng(0)
    own = np.array([0.1, 0.9, 0.2, 0.8, 0.3, 0.7], np.float32)
    other = np.array([0.9, 0.1, 0.8, 0.2, 0.7, 0.3], np.float32)
    frames = rng.uniform(100, 110, (6, 16, 16, 3)).astype(np.float32)
    frames[:, 4:8, 4:8] = 60 + 150 * own[:, None, None, None]  # a patch that pulses with 'own'
    assert pulse_match(frames, own) > 0.9
    assert pulse_match(frames, own) > pulse_match(frames, other)


def test_correlation_baseline_picks_the_matching_audio_on_synthetic_pairs() -> None:
    tool = load_tool('tools/pretrain/av_sync_probe.py')
    rng = np.random.default_rng(1)
    n, k, duration, fps = 8, 8, 3.0, 25
    times = np.linspace(0, duration * fps - 1, k).round() / fps
    start = duration / 2 - (255 * 0.01 + 0.025) / 2
    frames = rng.uniform(100, 110, (n, k, 16, 16, 3)).astype(np.float32)
    logmel = np.zeros((n, 256, 8), np.float32)
    for i in range(n):
        env = rng.uniform(0, 1, k)
        frames[i, :, 2:6, 2:6] = 60 + 150 * env[:, None, None, None]
        for t, level in zip(times, env, strict=True):
            c = int(round((t - start - 0.0125) / 0.01))
            if 0 <= c < 256:
                logmel[i, max(0, c - 3) : c + 4] = level
    for kind in ('same', 'other'):
        assert tool.correlation_baseline(frames, logmel, kind, duration, fps, chunk=4) == 1.0


def test_probe_tool_decodes_its_own_cache_for_another_frame_count(
    tiny_synthav: Path, tmp_path: Path
) -> None:
    tool = load_tool('tools/pretrain/av_sync_probe.py')
    data = tmp_path / 'set'
    shutil.copytree(tiny_synthav, data)
    out = tmp_path / 'probe4'
    args = ['--data', str(data), '--val-split', 'train', '--steps', '1', '--batch', '4']
    assert tool.main([*args, '--frames', '4', '--scratch', '--out', str(out)]) == 0
    cache = np.load(data / 'pretrain_cache_train_f4.npz')
    assert cache['frames'].shape[1] == 4
    assert not (data / 'pretrain_cache_train.npz').exists()  # the 8-frame cache is another file
    record = json.loads((out / 'probe.json').read_text())
    assert record['args']['frames'] == 4 and len(record['curve']) == 1


def _aligned_inputs(batch: int = 3, patches: int = 4, frames: int = 5, dims: int = 6):
    torch.manual_seed(0)
    video = torch.randn(batch, 1 + patches * frames, dims)
    audio = torch.randn(batch, 1 + 4 * 2, dims)  # a (4 time, 2 frequency) patch grid
    return video, audio


def test_aligned_head_sees_only_what_changes_over_the_frames_inside_the_window() -> None:
    head = FrameAlignedSyncHead(6, 5, (4, 2), slots=[-1, 0, 1, 3, -1], proj_dims=3)
    video, audio = _aligned_inputs()
    out = head(video, audio)
    assert out.shape == (3,)
    # a per-patch constant over time (what a patch looks like) changes nothing
    patchwise = video.clone()
    patchwise[:, 1:] += torch.randn(3, 4, 1, 6).expand(3, 4, 5, 6).reshape(3, 20, 6)
    assert torch.allclose(head(patchwise, audio), out, atol=1e-5)
    # nor does a frame outside the audio window (frames 0 and 4), nor the unused audio patch 2
    outside = video.clone().view(3, 1 + 20, 6)
    outside[:, 1:].view(3, 4, 5, 6)[:, :, [0, 4]] += 5.0
    assert torch.allclose(head(outside, audio), out, atol=1e-5)
    unused = audio.clone()
    unused[:, 1:].view(3, 4, 2, 6)[:, 2] += 5.0
    assert torch.allclose(head(video, unused), out, atol=1e-5)
    # but the rhythm of a frame inside the window does
    inside = video.clone()
    inside[:, 1:].view(3, 4, 5, 6)[:, 0, 2] += 5.0
    assert not torch.allclose(head(inside, audio), out, atol=1e-3)


def test_aligned_head_and_net_reject_bad_slots() -> None:
    with pytest.raises(ValueError, match='one audio time patch'):
        FrameAlignedSyncHead(6, 5, (4, 2), slots=[0, 1, 2])
    with pytest.raises(ValueError, match='one audio time patch'):
        FrameAlignedSyncHead(6, 3, (4, 2), slots=[0, 1, 4])
    with pytest.raises(ValueError, match='at least two frames'):
        FrameAlignedSyncHead(6, 3, (4, 2), slots=[-1, 2, -1])
    with pytest.raises(ValueError, match='needs slots'):
        AVSyncNet(None, None, tokens='aligned')
    with pytest.raises(ValueError, match='tokens must be one of'):
        AVSyncNet(None, None, tokens='frames')


def test_aligned_net_scores_own_then_partner_audio() -> None:
    net = AVSyncNet(None, None, tokens='aligned', slots=[-1, 1, 3, 6, 9, 11, 14, -1]).eval()
    assert net.fusion is None and net.head is None
    frames, audio = torch.rand(4, 3, 8, 112, 112) * 255, torch.randn(4, 1, 256, 128)
    with torch.no_grad():
        logits = net(frames, audio, torch.tensor([1, 0, 3, 2]))
        swapped = net(frames, audio[[1, 0, 3, 2]], torch.tensor([1, 0, 3, 2]))
    assert logits.shape == (4, 2)
    assert torch.allclose(logits.flip(1), swapped, atol=1e-5)


def test_audio_slots_follow_the_window_geometry() -> None:
    tool = load_tool('tools/pretrain/av_sync_probe.py')
    # 8 frames over 3 s at 25 fps: 0, 0.44, ..., 2.96 s; the middle 2.575 s window starts at
    # 0.2125 s and its 16 time patches are 0.16 s each: the first and last frames fall outside
    assert tool.audio_slots(3.0, 25, 8) == [-1, 1, 3, 6, 9, 11, 14, -1]
    slots16 = tool.audio_slots(3.0, 25, 16)
    inside = [v for v in slots16 if v >= 0]
    assert len(slots16) == 16 and inside == sorted(inside) and max(inside) <= 15
