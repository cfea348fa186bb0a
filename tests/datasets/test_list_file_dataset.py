"""VideoListDataset: reads the data set files and rejects bad ones with the file named."""

from __future__ import annotations

from pathlib import Path

import pytest

from avssl.datasets import DatasetFileError, VideoListDataset


def _make_root(tmp_path: Path, lines: list[str], classes: list[str] | None = None) -> Path:
    root = tmp_path / 'ds'
    (root / 'videos').mkdir(parents=True)
    for name in ('a.mp4', 'b.mp4'):
        (root / 'videos' / name).write_bytes(b'')
    (root / 'classes.txt').write_text('\n'.join(classes or ['walk', 'run', 'jump']) + '\n')
    (root / 'train.txt').write_text(''.join(line + '\n' for line in lines))
    return root


def _build(root: Path, ann: str = 'train.txt', **kwargs: object) -> VideoListDataset:
    return VideoListDataset(ann_file=ann, pipeline=[], data_root=str(root), **kwargs)


def test_reads_items_and_classes(tmp_path: Path) -> None:
    root = _make_root(tmp_path, ['videos/a.mp4 0', '', 'videos/b.mp4 2'])
    ds = _build(root)
    assert len(ds) == 2
    assert ds.metainfo['classes'] == ('walk', 'run', 'jump')
    info = ds.get_data_info(1)
    assert info['filename'] == str(root / 'videos' / 'b.mp4')
    assert info['label'] == 2
    assert info['sample_idx'] == 1
    assert info['data_root'] == str(root)


def test_paths_with_spaces(tmp_path: Path) -> None:
    root = _make_root(tmp_path, ['videos/with space.mp4 1'])
    (root / 'videos' / 'with space.mp4').write_bytes(b'')
    assert _build(root).get_data_info(0)['label'] == 1


@pytest.mark.parametrize(
    'lines, message',
    [
        ([], 'list file is empty'),
        (['videos/a.mp4'], 'train.txt:1: expected "relative/path label"'),
        (['videos/a.mp4 0', 'videos/b.mp4 x'], "train.txt:2: label 'x' is not an integer"),
        (['videos/a.mp4 3'], 'train.txt:1: label 3 out of range [0, 3)'),
        (['videos/a.mp4 -1'], 'train.txt:1: label -1 out of range'),
        (['videos/missing.mp4 0'], 'train.txt:1: video not found: '),
    ],
)
def test_bad_lists_are_named(tmp_path: Path, lines: list[str], message: str) -> None:
    root = _make_root(tmp_path, lines)
    with pytest.raises(DatasetFileError, match=None) as info:
        _build(root)
    assert message in str(info.value)
    assert 'train.txt' in str(info.value) or 'missing.mp4' in str(info.value)


def test_missing_list_is_named(tmp_path: Path) -> None:
    root = _make_root(tmp_path, ['videos/a.mp4 0'])
    with pytest.raises(DatasetFileError, match='list file not found: .*val.txt'):
        _build(root, ann='val.txt')


def test_missing_or_bad_class_list(tmp_path: Path) -> None:
    root = _make_root(tmp_path, ['videos/a.mp4 0'])
    with pytest.raises(DatasetFileError, match='class list not found: .*labels.txt'):
        _build(root, classes_file='labels.txt')
    with pytest.raises(DatasetFileError, match='num_classes=5 but classes.txt lists 3'):
        _build(root, num_classes=5)
    (root / 'classes.txt').write_text('walk\nwalk\n')
    with pytest.raises(DatasetFileError, match="repeats the names \\['walk'\\]"):
        _build(root)


def test_num_classes_without_class_list(tmp_path: Path) -> None:
    root = _make_root(tmp_path, ['videos/a.mp4 4'])
    assert len(_build(root, classes_file=None, num_classes=5)) == 1
    with pytest.raises(DatasetFileError, match='give classes_file or num_classes'):
        _build(root, classes_file=None)


def test_file_check_can_be_disabled(tmp_path: Path) -> None:
    root = _make_root(tmp_path, ['videos/missing.mp4 0'])
    assert len(_build(root, check_files=False)) == 1
