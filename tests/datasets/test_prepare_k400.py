"""tools/data/k400/prepare.py on a tiny fake Kinetics tree in the official layout."""

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

BASE = Config.fromfile(str(REPO / 'configs/_base_/datasets/k400_semi_224.py'))
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
# Not in sorted order on purpose: labels follow the sorted names.
CLASSES = ['zumba', 'air drumming', 'juggling balls']
SORTED = sorted(CLASSES)
HEADER = 'label,youtube_id,time_start,time_end,split,is_cc\n'


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        'k400_prepare', REPO / 'tools/data/k400/prepare.py'
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _make_tree(root: Path) -> None:
    """``root/annotations/{train,val,test}.csv``, ``root/train/*.mp4``, ``root/val/*.mp4``."""
    (root / 'annotations').mkdir(parents=True)
    rows = {'train': [], 'val': []}
    n = 0
    for name in CLASSES:
        for split, count in (('train', 8), ('val', 2)):
            for _ in range(count):
                n += 1
                ytid, start = f'-id{n:04d}x', 10 * n
                rows[split].append(f'"{name}",{ytid},{start},{start + 10},{split},0\n')
                path = root / split / f'{ytid}_{start:06d}_{start + 10:06d}.mp4'
                path.parent.mkdir(exist_ok=True)
                write_media(path, num_frames=8, fps=8, size=(16, 16), tone_hz=150.0 + 40 * n)
    # A silent clip, a corrupt clip and a clip that was never downloaded, all in train.
    extra = [('zumba', 'silent01', 'silent'), ('zumba', 'broken01', 'corrupt'),
             ('air drumming', 'gone0001', 'missing')]  # fmt: skip
    for name, ytid, kind in extra:
        rows['train'].append(f'{name},{ytid},0,10,train,0\n')
        path = root / 'train' / f'{ytid}_000000_000010.mp4'
        if kind == 'silent':
            write_media(path, num_frames=8, fps=8, size=(16, 16), audio=False)
        elif kind == 'corrupt':
            path.write_bytes(b'\x00\x00\x00\x18ftypmp42' + b'junk' * 50)
    for split, lines in rows.items():
        (root / 'annotations' / f'{split}.csv').write_text(HEADER + ''.join(lines))
    (root / 'annotations' / 'test.csv').write_text(HEADER)


def _run(root: Path, out: Path, *extra: str) -> int:
    args = ['--root', str(root), '--out', str(out), '--val-per-class', '1', '--no-progress']
    return _tool().main([*args, '--num-classes', '3', *extra])


def _files(out: Path) -> dict[str, str]:
    return {name: (out / name).read_text() for name in DATA_FILES}


@pytest.fixture(scope='module')
def prepared(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp('k400')
    root = base / 'kinetics400'
    _make_tree(root)
    out = base / 'prepared'
    assert _run(root, out, '--workers', '2') == 0
    first = _files(out)
    report1 = json.loads((out / 'prepare_report.json').read_text())
    assert _run(root, out, '--workers', '1') == 0
    report2 = json.loads((out / 'prepare_report.json').read_text())
    return dict(root=root, out=out, first=first, report1=report1, report2=report2)


def test_filter_labels_and_report(prepared: dict) -> None:
    out, report = prepared['out'], prepared['report1']
    assert (out / 'classes.txt').read_text().splitlines() == SORTED
    reasons = {d['path']: d['reason'] for d in report['dropped']}
    assert reasons['train/silent01_000000_000010.mp4'] == 'no_audio'
    assert reasons['train/broken01_000000_000010.mp4'].startswith('unreadable: ')
    assert reasons['train/gone0001_000000_000010.mp4'] == 'missing'
    assert report['dropped_by_reason'] == {'missing': 1, 'no_audio': 1, 'unreadable': 1}
    assert 'test.csv' in report['options']['annotations']['ignored']
    counts = report['counts']
    assert counts['classes'] == 3 and counts['usable_train'] == 24
    assert (counts['train'], counts['val'], counts['test']) == (21, 3, 6)
    assert counts['train_labeled_1shot'] == 3 and counts['train_labeled_5shot'] == 15


def test_split_counts_and_labels(prepared: dict) -> None:
    lists = {name: read_list(prepared['out'] / name) for name in LIST_NAMES}
    per_class = {name: Counter(label for _, label in items) for name, items in lists.items()}
    assert per_class['train.txt'] == {0: 7, 1: 7, 2: 7}
    assert per_class['val.txt'] == {0: 1, 1: 1, 2: 1}
    assert per_class['test.txt'] == {0: 2, 1: 2, 2: 2}
    assert per_class['train_labeled_1shot.txt'] == {0: 1, 1: 1, 2: 1}
    assert per_class['train_labeled_5shot.txt'] == {0: 5, 1: 5, 2: 5}
    # The validation split is the test list; train clips come from train/.
    assert all(rel.startswith('videos/val/') for rel, _ in lists['test.txt'])
    assert all(rel.startswith('videos/train/') for rel, _ in lists['train.txt'])
    # zumba was listed first in the CSVs but is label 2 (sorted names).
    zumba = {rel for rel, label in lists['test.txt'] if label == SORTED.index('zumba')}
    assert zumba == {
        'videos/val/-id0009x_000090_000100.mp4',
        'videos/val/-id0010x_000100_000110.mp4',
    }


def test_cache_determinism_and_seed(prepared: dict, tmp_path: Path) -> None:
    assert prepared['report1']['probe'] == {'files': 33, 'probed': 32, 'cached': 0, 'missing': 1}
    assert prepared['report2']['probe'] == {'files': 33, 'probed': 0, 'cached': 32, 'missing': 1}
    assert _files(prepared['out']) == prepared['first']
    out = tmp_path / 'seed7'
    cache = str(prepared['out'] / '.probe_cache.json')
    assert _run(prepared['root'], out, '--seed', '7', '--probe-cache', cache) == 0
    other = _files(out)
    assert other['test.txt'] == prepared['first']['test.txt']
    assert other['train_labeled_1shot.txt'] != prepared['first']['train_labeled_1shot.txt']


def test_loads_with_video_list_dataset(prepared: dict) -> None:
    for name in LIST_NAMES:
        ds = VideoListDataset(ann_file=name, pipeline=[], data_root=str(prepared['out']))
        assert ds.metainfo['classes'] == tuple(SORTED)
    stats = json.loads((prepared['out'] / 'stats.json').read_text())
    assert stats['audio_std'] > 0 and stats['counts']['classes'] == 3


def test_class_count_mismatch_fails(
    prepared: dict, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    args = ['--root', str(prepared['root']), '--out', str(tmp_path / 'x'), '--no-progress']
    assert _tool().main(args) == 1  # default --num-classes 400
    err = capsys.readouterr().err
    assert 'train.csv has 3 classes but --num-classes is 400' in err
    assert not (tmp_path / 'x' / 'train.txt').exists()


def test_bad_name_format_is_named(
    prepared: dict, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    fmt = '{youtube_id}_{start}.mp4'
    assert _run(prepared['root'], tmp_path / 'y', '--name-format', fmt) == 1
    assert "--name-format '{youtube_id}_{start}.mp4' uses the unknown field 'start'" in (
        capsys.readouterr().err
    )
