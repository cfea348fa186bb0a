"""The README opens with the two command lines, and CI runs the second one verbatim."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (REPO / 'README.md').read_text(encoding='utf-8')
    block = text.split('```bash\n', 1)[1].split('```', 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_readme_opens_with_two_command_lines() -> None:
    text = (REPO / 'README.md').read_text(encoding='utf-8')
    assert text.index('```bash') < text.index('\n## '), 'the commands must come first'
    main_job, tests = _readme_commands()
    assert 'tools/train.py' in main_job and 'tools/test.py' in main_job
    assert 'generate.py' in main_job
    assert 'pytest' in tests


def test_ci_runs_the_readme_test_command() -> None:
    ci_lines = (REPO / '.ci' / 'run').read_text(encoding='utf-8').splitlines()
    assert _readme_commands()[1] in ci_lines
