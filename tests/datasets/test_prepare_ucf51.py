"""tools/data/ucf51/prepare.py on a tiny fake UCF-101 tree: PyAV clips, some silent, one corrupt."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from helpers import REPO, write_media
from mmengine.config import Config

from avssl.datasets import VideoListDataset
from avssl.datasets.prepare.ucf51 import find_video_root, read_split_list
from avssl.datasets.splits import read_list
from avssl.datasets.transforms import AVDecordInit, LoadAudioWindow

BASE = Config.fromfile(str(REPO / 'configs/_base_/datasets/ucf51_semi_224.py'))
LIST_NAMES = [
    BASE.ann_file_train,
    BASE.ann_file_val,
    BASE.ann_file_test,
    BASE.ann_file_labeled_1shot,
    BASE.ann_file_unlabeled_1shot,
    BASE.ann_file_labeled_5shot,
    BASE.ann_file_unlabeled_5shot,
]
DATA_FILES = ['classes.txt', 'stats.json', *LIST_NAMES]

# classInd order; (train clips with audio, train silent, test with audio, test silent)
CLASSES = {
    'ApplyLipstick': (2, 2, 0, 1),  # 2 of 5 with audio: the class is dropped
    'BlowDryHair': (8, 1, 2, 0),  # + one corrupt train clip
    'Drumming': (8, 0, 2, 0),  # + one listed test clip that is missing
    'FrontCrawl': (8, 0, 2, 0),
}
KEPT = ['BlowDryHair', 'Drumming', 'FrontCrawl']


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        'ucf51_prepare', REPO / 'tools/data/ucf51/prepare.py'
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _make_tree(base: Path) -> tuple[Path, Path]:
    """``base/UCF101/UCF-101/<Class>/*.avi`` and ``base/ucfTrainTestlist``; returns both roots."""
    videos = base / 'UCF101' / 'UCF-101'
    splits = base / 'ucfTrainTestlist'
    splits.mkdir(parents=True)
    train_lines, test_lines = [], []
    for index, (name, (tr_a, tr_s, te_a, te_s)) in enumerate(CLASSES.items(), start=1):
        (videos / name).mkdir(parents=True)
        group = 0
        for split, count, audio in (
            ('train', tr_a, True), ('train', tr_s, False), ('test', te_a, True),
            ('test', te_s, False),
        ):  # fmt: skip
            for _ in range(count):
                group += 1
                rel = f'{name}/v_{name}_g{group:02d}_c01.avi'
                write_media(
                    videos / rel, num_frames=8, fps=8, size=(16, 16), audio=audio,
                    tone_hz=200.0 + 50 * group,
                )  # fmt: skip
                (train_lines if split == 'train' else test_lines).append((rel, index))
    corrupt = 'BlowDryHair/v_BlowDryHair_g99_c01.avi'
    (videos / corrupt).write_bytes(b'this is not a video' * 40)
    train_lines.append((corrupt, 2))
    test_lines.append(('Drumming/v_Drumming_g98_c01.avi', 3))  # listed, never downloaded
    (splits / 'classInd.txt').write_text(
        ''.join(f'{i} {n}\r\n' for i, n in enumerate(CLASSES, start=1))
    )
    (splits / 'trainlist01.txt').write_text(''.join(f'{r} {i}\r\n' for r, i in train_lines))
    (splits / 'testlist01.txt').write_text(''.join(f'{r}\r\n' for r, _ in test_lines))
    return videos.parent, splits


def _run(root: Path, splits: Path, out: Path, *extra: str) -> int:
    args = ['--root', str(root), '--splits', str(splits), '--out', str(out)]
    return _tool().main([*args, '--val-per-class', '1', '--no-progress', *extra])


def _files(out: Path) -> dict[str, str]:
    return {name: (out / name).read_text() for name in DATA_FILES}


@pytest.fixture(scope='module')
def prepared(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp('ucf')
    root, splits = _make_tree(base)
    out = base / 'ucf51'
    assert _run(root, splits, out, '--workers', '2') == 0
    first = _files(out)
    report1 = json.loads((out / 'prepare_report.json').read_text())
    assert _run(root, splits, out, '--workers', '1') == 0
    report2 = json.loads((out / 'prepare_report.json').read_text())
    return dict(root=root, splits=splits, out=out, first=first, report1=report1, report2=report2)


def test_audio_filter_labels_and_report(prepared: dict) -> None:
    out, report = prepared['out'], prepared['report1']
    assert (out / 'classes.txt').read_text().splitlines() == KEPT
    by_path = {d['path']: d['reason'] for d in report['dropped']}
    assert by_path['BlowDryHair/v_BlowDryHair_g09_c01.avi'] == 'no_audio'
    assert by_path['BlowDryHair/v_BlowDryHair_g99_c01.avi'].startswith('unreadable: ')
    assert by_path['Drumming/v_Drumming_g98_c01.avi'] == 'missing'
    dropped_class = [p for p, r in by_path.items() if p.startswith('ApplyLipstick/')]
    assert len(dropped_class) == 5 and all(by_path[p] == 'class_dropped' for p in dropped_class)
    assert report['dropped_by_reason'] == {
        'class_dropped': 5, 'missing': 1, 'no_audio': 1, 'unreadable': 1,
    }  # fmt: skip
    rule = {c['name']: c for c in report['classes']['rule']}
    assert rule['ApplyLipstick'] == {
        'name': 'ApplyLipstick',
        'videos': 5,
        'with_audio': 2,
        'kept': False,
    }
    assert rule['BlowDryHair']['kept'] and rule['BlowDryHair']['with_audio'] == 10
    # Counts far from the paper's 51 classes / ~4.9K / ~1.4K clips are warned about.
    assert any('classes is 3' in w and '51' in w for w in report['warnings'])
    counts = report['counts']
    assert counts['classes'] == 3 and counts['listed_classes'] == 4
    assert counts['usable_train'] == 24 and counts['train'] == 21 and counts['val'] == 3
    assert counts['test'] == 6


def test_split_counts_per_class(prepared: dict) -> None:
    out = prepared['out']
    lists = {name: read_list(out / name) for name in LIST_NAMES}
    for name, items in lists.items():
        assert all(rel.startswith('videos/') for rel, _ in items), name
        assert {label for _, label in items} == {0, 1, 2}, name
    per_class = {name: Counter(label for _, label in items) for name, items in lists.items()}
    assert per_class['train.txt'] == {0: 7, 1: 7, 2: 7}
    assert per_class['val.txt'] == {0: 1, 1: 1, 2: 1}
    assert per_class['test.txt'] == {0: 2, 1: 2, 2: 2}
    assert per_class['train_labeled_1shot.txt'] == {0: 1, 1: 1, 2: 1}
    assert per_class['train_labeled_5shot.txt'] == {0: 5, 1: 5, 2: 5}
    assert per_class['train_unlabeled_5shot.txt'] == {0: 2, 1: 2, 2: 2}
    train = set(lists['train.txt'])
    for k in (1, 5):
        labeled = set(lists[f'train_labeled_{k}shot.txt'])
        unlabeled = set(lists[f'train_unlabeled_{k}shot.txt'])
        assert labeled | unlabeled == train and not labeled & unlabeled
    assert set(lists['train_labeled_1shot.txt']) <= set(lists['train_labeled_5shot.txt'])
    assert not train & set(lists['val.txt'])
    labels = {rel.split('/')[1]: label for rel, label in lists['train.txt']}
    assert labels == {name: i for i, name in enumerate(KEPT)}


def test_second_run_uses_the_cache_and_is_identical(prepared: dict) -> None:
    assert prepared['report1']['probe'] == {'files': 38, 'probed': 37, 'cached': 0, 'missing': 1}
    assert prepared['report2']['probe'] == {'files': 38, 'probed': 0, 'cached': 37, 'missing': 1}
    assert _files(prepared['out']) == prepared['first']
    assert (prepared['out'] / '.probe_cache.json').is_file()


def test_stats_json_and_loading(prepared: dict) -> None:
    out = prepared['out']
    stats = json.loads((out / 'stats.json').read_text())
    assert stats['audio_std'] > 0 and stats['num_mel_bins'] == 128
    assert stats['sample_rate'] == 16000 and stats['counts']['train'] == 21
    assert stats['audio_stats_clips'] == 21
    ds = VideoListDataset(ann_file=BASE.ann_file_train, pipeline=[], data_root=str(out))
    assert len(ds) == 21 and ds.metainfo['classes'] == tuple(KEPT)
    item = ds.get_data_info(0)
    item = AVDecordInit()(item)
    item.update(frame_inds=[0, 1, 2, 3], num_clips=1)
    item = LoadAudioWindow(num_frames=32)(item)
    assert item['audio'].shape == (1, 1, 32, 128)
    for name in LIST_NAMES[1:]:
        VideoListDataset(ann_file=name, pipeline=[], data_root=str(out))


def test_seed_changes_the_labeled_choice(prepared: dict, tmp_path: Path) -> None:
    out = tmp_path / 'seed1'
    cache = prepared['out'] / '.probe_cache.json'
    args = ('--seed', '1', '--probe-cache', str(cache), '--workers', '1')
    assert _run(prepared['root'], prepared['splits'], out, *args) == 0
    report = json.loads((out / 'prepare_report.json').read_text())
    assert report['probe']['probed'] == 0
    other = _files(out)
    assert other['classes.txt'] == prepared['first']['classes.txt']
    assert other['test.txt'] == prepared['first']['test.txt']
    assert other['train_labeled_1shot.txt'] != prepared['first']['train_labeled_1shot.txt']


def test_root_detection_and_list_parsing(prepared: dict) -> None:
    names = list(CLASSES)
    clips = read_split_list(prepared['splits'] / 'testlist01.txt', names, 'test')
    assert {c.class_name for c in clips} == set(names)
    ucf101 = prepared['root'] / 'UCF-101'
    assert find_video_root(prepared['root'], clips) == ucf101
    assert find_video_root(ucf101, clips) == ucf101
    with pytest.raises(FileNotFoundError, match='no class folder'):
        find_video_root(prepared['splits'], clips)


def test_bad_split_files_fail_with_the_file_named(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    splits = tmp_path / 'lists'
    splits.mkdir()
    (splits / 'classInd.txt').write_text('1 A\n2 B\n')
    (splits / 'trainlist01.txt').write_text('A/v_A_g01_c01.avi 3\n')
    (splits / 'testlist01.txt').write_text('')
    assert _run(tmp_path, splits, tmp_path / 'out') == 1
    err = capsys.readouterr().err
    assert 'trainlist01.txt:1: bad class index' in err
