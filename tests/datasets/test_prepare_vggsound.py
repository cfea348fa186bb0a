"""tools/data/vggsound/prepare.py on a tiny fake VGGSound download (vggsound.csv, flat folder)."""

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
from avssl.datasets.splits import read_list

BASE = Config.fromfile(str(REPO / 'configs/_base_/datasets/vggsound_semi_224.py'))
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
# The first name holds commas (quoted in the CSV, as in the real file); 'waterfall burbling'
# is in the CSV but not in the classes file.
CLASSES = ['bee, wasp, etc. buzzing', 'dog barking', 'playing drum kit']
SKIPPED = 'waterfall burbling'


def _tool() -> ModuleType:
    path = REPO / 'tools/data/vggsound/prepare.py'
    spec = importlib.util.spec_from_file_location('vggsound_prepare', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _make_tree(base: Path) -> tuple[Path, Path, Path]:
    """``vggsound.csv``, the clip folder and a classes file; returns the three paths."""
    videos = base / 'clips'
    videos.mkdir()
    rows = []
    n = 0
    for name in [*CLASSES, SKIPPED]:
        for split, count in (('train', 8), ('test', 2)):
            for _ in range(count):
                n += 1
                ytid, start = f'v{n:03d}', 30 + n
                rows.append(f'{ytid},{start},"{name}",{split}\n')
                if name != SKIPPED:
                    write_media(
                        videos / f'{ytid}_{start:06d}.mp4', num_frames=8, fps=8, size=(16, 16),
                        tone_hz=120.0 + 30 * n,
                    )  # fmt: skip
    rows.append('silent1,0,dog barking,train\n')
    write_media(videos / 'silent1_000000.mp4', num_frames=8, fps=8, size=(16, 16), audio=False)
    rows.append('broken1,0,dog barking,test\n')
    (videos / 'broken1_000000.mp4').write_bytes(b'broken' * 100)
    rows.append('unavail,0,playing drum kit,train\n')  # never downloaded
    csv_path = base / 'vggsound.csv'
    csv_path.write_text(''.join(rows))
    classes_file = base / 'classes309.txt'
    classes_file.write_text(''.join(f'{n}\n' for n in reversed(CLASSES)))
    return csv_path, videos, classes_file


def _run(paths: tuple[Path, Path, Path], out: Path, *extra: str) -> int:
    csv_path, videos, classes_file = paths
    args = ['--csv', str(csv_path), '--videos', str(videos), '--out', str(out)]
    args += ['--classes-file', str(classes_file), '--num-classes', '3', '--val-per-class', '1']
    return _tool().main([*args, '--no-progress', *extra])


def _files(out: Path) -> dict[str, str]:
    return {name: (out / name).read_text() for name in DATA_FILES}


@pytest.fixture(scope='module')
def prepared(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp('vggsound')
    paths = _make_tree(base)
    out = base / 'prepared'
    assert _run(paths, out, '--workers', '2') == 0
    first = _files(out)
    report1 = json.loads((out / 'prepare_report.json').read_text())
    assert _run(paths, out, '--workers', '1') == 0
    report2 = json.loads((out / 'prepare_report.json').read_text())
    return dict(paths=paths, out=out, first=first, report1=report1, report2=report2)


def test_filter_selection_and_report(prepared: dict) -> None:
    out, report = prepared['out'], prepared['report1']
    assert (out / 'classes.txt').read_text().splitlines() == CLASSES
    reasons = Counter(d['reason'].split(':')[0] for d in report['dropped'])
    assert reasons == {'class_not_selected': 10, 'no_audio': 1, 'unreadable': 1, 'missing': 1}
    by_path = {d['path']: d for d in report['dropped']}
    assert by_path['silent1_000000.mp4']['reason'] == 'no_audio'
    assert by_path['broken1_000000.mp4']['split'] == 'test'
    assert by_path['unavail_000000.mp4']['reason'] == 'missing'
    assert all(
        d['class'] == SKIPPED for d in report['dropped'] if d['reason'] == 'class_not_selected'
    )
    counts = report['counts']
    assert (counts['classes'], counts['train'], counts['val'], counts['test']) == (3, 21, 3, 6)
    assert counts['train_labeled_1shot'] == 3 and counts['train_labeled_5shot'] == 15


def test_split_counts_and_labels(prepared: dict) -> None:
    lists = {name: read_list(prepared['out'] / name) for name in LIST_NAMES}
    per_class = {name: Counter(label for _, label in items) for name, items in lists.items()}
    assert per_class['train.txt'] == {0: 7, 1: 7, 2: 7}
    assert per_class['test.txt'] == {0: 2, 1: 2, 2: 2}
    assert per_class['train_labeled_5shot.txt'] == {0: 5, 1: 5, 2: 5}
    assert per_class['train_unlabeled_1shot.txt'] == {0: 6, 1: 6, 2: 6}
    # The comma-holding class is label 0; its clips are v001..v010.
    assert {rel for rel, label in lists['test.txt'] if label == 0} == {
        'videos/v009_000039.mp4', 'videos/v010_000040.mp4',
    }  # fmt: skip


def test_cache_determinism_and_seed(prepared: dict, tmp_path: Path) -> None:
    assert prepared['report1']['probe'] == {'files': 33, 'probed': 32, 'cached': 0, 'missing': 1}
    assert prepared['report2']['probe'] == {'files': 33, 'probed': 0, 'cached': 32, 'missing': 1}
    assert _files(prepared['out']) == prepared['first']
    out = tmp_path / 'seed3'
    cache = str(prepared['out'] / '.probe_cache.json')
    assert _run(prepared['paths'], out, '--seed', '3', '--probe-cache', cache) == 0
    assert _files(out)['train_labeled_1shot.txt'] != prepared['first']['train_labeled_1shot.txt']


def test_loads_with_video_list_dataset(prepared: dict) -> None:
    for name in LIST_NAMES:
        ds = VideoListDataset(ann_file=name, pipeline=[], data_root=str(prepared['out']))
        assert ds.metainfo['classes'] == tuple(CLASSES)


def test_class_count_mismatch_fails(
    prepared: dict, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    csv_path, videos, _ = prepared['paths']
    args = ['--csv', str(csv_path), '--videos', str(videos), '--out', str(tmp_path / 'x')]
    assert _tool().main([*args, '--no-progress']) == 1  # 4 classes in the CSV, default 309
    assert 'vggsound.csv has 4 classes but --num-classes is 309' in capsys.readouterr().err
    unknown = tmp_path / 'unknown.txt'
    unknown.write_text('dog barking\ncat purring\n')
    assert _tool().main([*args, '--classes-file', str(unknown), '--num-classes', '2']) == 1
    assert 'unknown.txt names classes not in' in capsys.readouterr().err
