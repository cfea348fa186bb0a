"""Audio-visual loading transforms: decoding, audio windows, features, SpecAugment, packing."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from helpers import write_media
from mmengine.dataset import Compose

from avssl.datasets import MissingAudioError, VideoDecodeError, log_mel_fbank
from avssl.datasets.transforms import (
    AVDecordInit,
    LoadAudioWindow,
    LoadLocalizerAudio,
    SpecAugment,
    audio_window,
    clip_centres,
)


@pytest.fixture(scope='module')
def media(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp('media')
    return {
        'av': write_media(root / 'av.mp4', num_frames=50),
        'silent': write_media(root / 'silent.mp4', audio=False),
        'stereo44k': write_media(
            root / 'stereo.mp4', num_frames=50, sample_rate=44100, layout='stereo'
        ),
        'audio_only': write_media(root / 'audio.mp4', video=False, duration=1.0),
        'short': write_media(root / 'short.mp4', num_frames=10),  # 0.4 s
        'corrupt': _corrupt(root / 'corrupt.mp4'),
    }


def _corrupt(path: Path) -> Path:
    path.write_bytes(b'\x00\x00\x00\x18ftypmp42' + b'not a video' * 50)
    return path


def test_init_reads_frames_and_audio(media: dict[str, Path]) -> None:
    out = AVDecordInit()(dict(filename=str(media['av'])))
    assert out['total_frames'] == 50 and out['avg_fps'] == pytest.approx(25.0)
    wav = out['audio_waveform']
    assert wav.dtype == np.float32 and wav.ndim == 1
    assert abs(wav.size - 2.0 * 16000) < 0.05 * 16000  # 2 s (AAC adds a few ms of priming)
    assert 0.2 < np.abs(wav).max() < 0.4


def test_no_audio_stream_is_an_error_naming_the_file(media: dict[str, Path]) -> None:
    with pytest.raises(MissingAudioError, match=f'no audio stream in {media["silent"]}'):
        AVDecordInit()(dict(filename=str(media['silent'])))
    # Video-only loading does not need the track.
    assert AVDecordInit(with_audio=False)(dict(filename=str(media['silent'])))['total_frames'] == 25


def test_corrupt_file_and_no_frames_are_errors_naming_the_file(media: dict[str, Path]) -> None:
    with pytest.raises(VideoDecodeError, match=str(media['corrupt'])):
        AVDecordInit()(dict(filename=str(media['corrupt'])))
    with pytest.raises(VideoDecodeError, match=str(media['audio_only'])):
        AVDecordInit()(dict(filename=str(media['audio_only'])))


def test_odd_rate_and_stereo_are_resampled_and_downmixed(media: dict[str, Path]) -> None:
    out = AVDecordInit(sample_rate=16000)(dict(filename=str(media['stereo44k'])))
    wav = out['audio_waveform']
    assert wav.ndim == 1 and np.isfinite(wav).all()
    assert abs(wav.size - 2.0 * 16000) < 0.05 * 16000
    spectrum = np.abs(np.fft.rfft(wav))
    peak_hz = np.argmax(spectrum) * 16000 / wav.size
    assert abs(peak_hz - 440) < 5  # the tone survives resampling at the right pitch


def test_clip_centres_unwraps_looped_indices() -> None:
    # Two clips of 4 frames; the second wraps around a 10-frame video: 6, 8, 0 (=10), 2 (=12).
    inds = np.array([0, 2, 4, 6, 6, 8, 0, 2])
    assert clip_centres(inds, num_clips=2, total_frames=10).tolist() == [3.0, 9.0]


def test_audio_window_shifts_inside_and_tiles_short_tracks() -> None:
    wav = np.arange(10, dtype=np.float32)
    assert audio_window(wav, centre=5, length=4).tolist() == [3, 4, 5, 6]
    assert audio_window(wav, centre=0.5, length=4).tolist() == [0, 1, 2, 3]  # shifted in
    assert audio_window(wav, centre=9.5, length=4).tolist() == [6, 7, 8, 9]
    assert audio_window(wav, centre=15, length=4).tolist() == [3, 4, 5, 6]  # looped video
    short = np.arange(3, dtype=np.float32)
    assert audio_window(short, centre=1, length=7).tolist() == [1, 2, 0, 1, 2, 0, 1]


def _stats(tmp_path: Path, mean: float = -4.0, std: float = 3.0) -> str:
    path = tmp_path / 'stats.json'
    path.write_text(json.dumps({'audio_mean': mean, 'audio_std': std}))
    return str(path)


def _loaded(path: Path, num_clips: int = 1, test_mode: bool = True) -> dict:
    pipeline = Compose(
        [
            dict(type='AVDecordInit'),
            dict(
                type='SampleFrames',
                clip_len=8,
                frame_interval=2,
                num_clips=num_clips,
                test_mode=test_mode,
            ),
        ]
    )
    return pipeline(dict(filename=str(path), start_index=0, modality='RGB'))


def test_log_mel_window_matches_hand_computation(media: dict[str, Path], tmp_path: Path) -> None:
    results = _loaded(media['av'], num_clips=2)
    out = LoadAudioWindow(num_frames=64, stats_file=_stats(tmp_path))(dict(results))
    assert out['audio'].shape == (2, 1, 64, 128) and out['audio'].dtype == np.float32
    centre_s = out['audio_centres'][1]
    length = 400 + 63 * 160
    wav = audio_window(results['audio_waveform'], centre_s * 16000, length)
    expected = (log_mel_fbank(wav).numpy() - (-4.0)) / 3.0
    np.testing.assert_allclose(out['audio'][1, 0], expected, rtol=1e-5, atol=1e-5)
    expected_centre = clip_centres(results['frame_inds'], 2, results['total_frames'])[1] / 25.0
    assert centre_s == pytest.approx(expected_centre)


def test_short_track_is_tiled(media: dict[str, Path], tmp_path: Path) -> None:
    results = _loaded(media['short'])
    # Use an exact 0.4 s tone (the decoded AAC track has encoder padding at its ends).
    t = np.arange(6400) / 16000
    results['audio_waveform'] = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    out = LoadAudioWindow(num_frames=256, mean=0.0, std=1.0)(dict(results))
    assert out['audio'].shape == (1, 1, 256, 128)
    # 0.4 s of tone looped to 2.6 s: every frame carries the tone, none is zero padding
    # (silence sits at the filterbank's floor in every bin).
    feats = out['audio'][0, 0]
    floor = log_mel_fbank(np.zeros(16000, np.float32)).max().item()
    assert (feats.max(axis=1) > floor + 5.0).all()


def test_stats_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match='audio statistics file not found: .*nope.json'):
        LoadAudioWindow(stats_file=str(tmp_path / 'nope.json'))
    relative = LoadAudioWindow(stats_file='nope.json')  # resolved per item, at first use
    with pytest.raises(FileNotFoundError, match=f'not found: {tmp_path}/nope.json'):
        relative.stats_for(dict(data_root=str(tmp_path)))
    with pytest.raises(KeyError, match='has no data_root'):
        relative.stats_for(dict(filename='x.mp4'))
    bad = tmp_path / 'bad.json'
    bad.write_text('{"audio_mean": 1.0}')
    with pytest.raises(KeyError, match="bad.json has no 'audio_std'"):
        LoadAudioWindow(stats_file=str(bad))


def test_relative_stats_file_follows_the_data_root(tmp_path: Path) -> None:
    (tmp_path / 'a').mkdir()
    (tmp_path / 'b').mkdir()
    _stats(tmp_path / 'a', mean=1.0, std=2.0)
    _stats(tmp_path / 'b', mean=-3.0, std=4.0)
    transform = LoadAudioWindow()  # stats_file='stats.json' in the item's data set folder
    assert transform.stats_for(dict(data_root=str(tmp_path / 'a'))) == (1.0, 2.0)
    assert transform.stats_for(dict(data_root=str(tmp_path / 'b'))) == (-3.0, 4.0)


def test_missing_keys_are_named() -> None:
    with pytest.raises(KeyError, match=r"needs the keys \['audio_waveform'"):
        LoadAudioWindow(mean=0.0, std=1.0)(dict(filename='x.mp4'))


def test_spec_augment_masks_per_view_and_is_seeded() -> None:
    feats = np.ones((3, 1, 64, 32), np.float32)
    torch.manual_seed(0)
    a = SpecAugment(freq_mask_param=8, time_mask_param=16)(dict(audio=feats.copy()))['audio']
    torch.manual_seed(0)
    b = SpecAugment(freq_mask_param=8, time_mask_param=16)(dict(audio=feats.copy()))['audio']
    assert a.shape == feats.shape
    np.testing.assert_array_equal(a, b)
    assert (a == 0).any()
    masks = [(a[v, 0] == 0) for v in range(3)]
    assert not (np.array_equal(masks[0], masks[1]) and np.array_equal(masks[1], masks[2]))
    # A frequency mask zeroes whole columns (mel bins), a time mask whole rows (frames).
    zero_cols = (a[0, 0] == 0).all(axis=0)
    zero_rows = (a[0, 0] == 0).all(axis=1)
    assert ((a[0, 0] == 0) == (zero_cols[None, :] | zero_rows[:, None])).all()


def test_localizer_audio_is_the_raw_centred_window(media: dict[str, Path]) -> None:
    results = _loaded(media['av'])
    out = LoadLocalizerAudio(duration=1.0)(dict(results))
    assert out['asl_audio'].shape == (1, 16000)
    centre = clip_centres(results['frame_inds'], 1, results['total_frames'])[0] / 25.0 * 16000
    np.testing.assert_array_equal(
        out['asl_audio'][0], audio_window(results['audio_waveform'], centre, 16000)
    )


def test_test_views_pair_frames_and_audio_by_clip(media: dict[str, Path]) -> None:
    pipeline = Compose(
        [
            dict(type='AVDecordInit'),
            dict(type='SampleFrames', clip_len=4, frame_interval=2, num_clips=5, test_mode=True),
            dict(type='AVDecordDecode'),
            dict(type='LoadAudioWindow', num_frames=32, mean=0.0, std=1.0),
            dict(type='Resize', scale=(-1, 48)),
            dict(type='ThreeCrop', crop_size=48),
            dict(type='FormatShape', input_format='NCTHW'),
            dict(type='PackAVInputs', index_key='unlabeled_index'),
        ]
    )
    out = pipeline(dict(filename=str(media['av']), label=3, sample_idx=7, start_index=0))
    imgs, audio = out['inputs']['imgs'], out['inputs']['audio']
    assert imgs.shape == (15, 3, 4, 48, 48) and audio.shape == (15, 1, 32, 128)
    for v in range(15):  # view v = crop * num_clips + clip
        assert torch.equal(audio[v], audio[v % 5])
    assert not torch.equal(audio[0], audio[1])
    # Frames encode their index as grey level 5*i: clip 1's first frame is later than clip 0's.
    assert imgs[1, 0, 0].float().mean() > imgs[0, 0, 0].float().mean()
    assert out['data_samples'].gt_labels.item.tolist() == [3]  # (1,), as mmaction2 packs it
    assert out['data_samples'].metainfo['unlabeled_index'] == 7


def test_decoding_is_deterministic(media: dict[str, Path]) -> None:
    a = AVDecordInit()(dict(filename=str(media['av'])))['audio_waveform']
    b = AVDecordInit()(dict(filename=str(media['av'])))['audio_waveform']
    np.testing.assert_array_equal(a, b)


def test_train_pipeline_is_deterministic_under_a_seed(media: dict[str, Path]) -> None:
    from mmengine.runner import set_random_seed

    pipeline = Compose(
        [
            dict(type='AVDecordInit'),
            dict(type='SampleFrames', clip_len=4, frame_interval=2, num_clips=1),
            dict(type='AVDecordDecode'),
            dict(type='LoadAudioWindow', num_frames=32, mean=0.0, std=1.0),
            dict(type='SpecAugment', freq_mask_param=8, time_mask_param=8),
            dict(type='RandomRescale', scale_range=(48, 64)),
            dict(type='RandomCrop', size=40),
            dict(type='Flip', flip_ratio=0.5),
            dict(type='FormatShape', input_format='NCTHW'),
            dict(type='PackAVInputs'),
        ]
    )
    outs = []
    for seed in (3, 3, 4):
        set_random_seed(seed)
        item = dict(filename=str(media['av']), label=0, start_index=0, modality='RGB')
        outs.append(pipeline(item)['inputs'])
    assert outs[0]['imgs'].shape == (1, 3, 4, 40, 40)
    for key in ('imgs', 'audio'):
        assert torch.equal(outs[0][key], outs[1][key]), key
    assert not all(torch.equal(outs[0][k], outs[2][k]) for k in ('imgs', 'audio'))
