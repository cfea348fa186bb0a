"""The committed record of the SynthAV grid's test results (``docs/data/table2_results.jsonl``).

``python tools/analysis/results_ledger.py collect --work-root work_dirs/table2``

Work dirs are not committed, and a fresh checkout has none: the tables of
``docs/reproduction.md`` would be lost each time they are regenerated. The ledger keeps one
JSON line per finished grid cell (config name, seed, test top-1 of the reported model, and
where the number came from), so ``table2_report.py`` and ``sweep_plot.py`` rebuild every table
from the repository alone and new cells add to it.

* ``collect`` adds (or updates) the cells a work root holds (``<config>/seed<S>/test/
  test_metrics.json``), with the commit they were collected at;
  ``tools/experiments/run_grid.py --ledger`` records each cell as it finishes.
* A work dir and the ledger that disagree on a cell are an error in the report tools, unless
  the work dir is newer by design (rerun with changed code): ``collect`` then overwrites the
  ledger's line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_LEDGER = REPO / 'docs' / 'data' / 'table2_results.jsonl'

Key = tuple[str, int]


def load(path: str | Path) -> dict[Key, dict]:
    """``(config, seed) -> record`` of a ledger file; a missing file is an empty ledger."""
    path = Path(path)
    if not path.is_file():
        return {}
    records: dict[Key, dict] = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            key = (str(record['config']), int(record['seed']))
            float(record['top1'])
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f'{path}:{number}: not a ledger record ({error}): {line!r}') from None
        if key in records:
            raise ValueError(f'{path}:{number}: {key[0]} seed {key[1]} is recorded twice')
        records[key] = record
    return records


def save(path: str | Path, records: dict[Key, dict]) -> None:
    """Write the records sorted by config and seed, atomically (temp file, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(records[key], sort_keys=True) for key in sorted(records)]
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f'.{path.name}.')
    with os.fdopen(fd, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + ('\n' if lines else ''))
    os.replace(tmp, path)


def current_commit() -> str:
    """The short commit of the repository, or ``unknown`` outside a git checkout."""
    try:
        out = subprocess.run(
            ['git', 'rev-parse', '--short', 'HEAD'], cwd=REPO, capture_output=True, text=True
        )
    except OSError:
        return 'unknown'
    return out.stdout.strip() or 'unknown'


def make_record(config: str, seed: int, metrics: dict, source: str) -> dict:
    """A ledger line from a cell's ``test_metrics.json`` (top-1 in percent)."""
    record = {
        'config': config,
        'seed': int(seed),
        'top1': 100.0 * float(metrics['acc/top1']),
        'source': source,
    }
    for key, name in (('acc/student_top1', 'student_top1'), ('train_seconds', 'train_seconds')):
        if key in metrics:
            record[name] = (100.0 if 'top1' in name else 1.0) * float(metrics[key])
    return record


def record_cell(
    ledger: str | Path, config: str, seed: int, metrics: dict, source: str | None = None
) -> dict:
    """Add or replace one cell's line in ``ledger``.

    A cell already recorded with the same test top-1 keeps its line: a restarted grid, which
    re-reads the cells it finished, does not move their ``source`` to the current commit.
    """
    records = load(ledger)
    record = make_record(config, seed, metrics, source or f'test_metrics.json, {current_commit()}')
    old = records.get((config, int(seed)))
    if _same_result(old, record):
        return old
    records[(config, int(seed))] = record
    save(ledger, records)
    return record


def _same_result(old: dict | None, record: dict) -> bool:
    """Whether ``old`` already records ``record``'s test top-1 (then its line is kept)."""
    return old is not None and abs(float(old['top1']) - record['top1']) <= 1e-9


def finished_cells(work_root: str | Path) -> dict[Key, dict]:
    """``(config, seed) -> test metrics`` of the tested cells under a work root."""
    found = {}
    for result in sorted(Path(work_root).glob('*/seed*/test/test_metrics.json')):
        seed_dir = result.parent.parent
        found[(seed_dir.parent.name, int(seed_dir.name[len('seed') :]))] = json.loads(
            result.read_text()
        )
    return found


def collect(work_root: str | Path, ledger: str | Path) -> list[Key]:
    """Record every tested cell of ``work_root``; return the keys that were new or changed."""
    records = load(ledger)
    changed = []
    source = f'test_metrics.json, {current_commit()}'
    for key, metrics in finished_cells(work_root).items():
        record = make_record(*key, metrics, source)
        if not _same_result(records.get(key), record):
            records[key] = record
            changed.append(key)
    save(ledger, records)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    sub = parser.add_subparsers(dest='command', required=True)
    col = sub.add_parser('collect', help='record the tested cells of a work root')
    col.add_argument('--work-root', default=str(REPO / 'work_dirs' / 'table2'))
    col.add_argument('--ledger', default=str(DEFAULT_LEDGER))
    args = parser.parse_args(argv)
    if not Path(args.work_root).is_dir():
        print(f'no work root {args.work_root}', file=sys.stderr)
        return 1
    changed = collect(args.work_root, args.ledger)
    for config, seed in changed:
        print(f'recorded {config} seed {seed}')
    print(f'{len(changed)} cell(s) new or changed in {args.ledger}')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
