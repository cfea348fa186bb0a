"""tools/data/synthav/generate.py: generates, is a no-op when up to date, refuses other args."""

from __future__ import annotations

from pathlib import Path

from helpers import REPO, run_tool

ARGS = [
    '--num-classes', '4', '--clips-per-class', '10', '--num-distractors', '1',
    '--duration', '1.2', '--workers', '1', '--no-progress',
]  # fmt: skip


def test_generate_then_noop_then_refuse(tmp_path: Path) -> None:
    out = tmp_path / 'synthav'
    cmd = ['tools/data/synthav/generate.py', '--out', str(out), *ARGS]
    first = run_tool(cmd, cwd=REPO)
    assert first.returncode == 0, first.stderr
    assert (out / '.complete').is_file() and (out / 'train_labeled_5shot.txt').is_file()
    listing = sorted(p.name for p in (out / 'videos').rglob('*.mp4'))
    second = run_tool(cmd, cwd=REPO)
    assert second.returncode == 0, second.stderr
    assert 'nothing to do' in second.stdout
    assert sorted(p.name for p in (out / 'videos').rglob('*.mp4')) == listing
    third = run_tool([*cmd, '--seed', '3'], cwd=REPO)
    assert third.returncode == 1
    assert 'seed: 0 -> 3' in third.stderr and '--overwrite' in third.stderr
