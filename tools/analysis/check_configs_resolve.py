"""Check that refactoring the configs leaves what they resolve to unchanged.

``python tools/analysis/check_configs_resolve.py dump OUT.json``
    loads every config under ``configs/`` (not ``configs/_base_/``) with
    ``mmengine.config.Config.fromfile`` and writes ``{relative path: cfg.to_dict()}`` as JSON
    (sorted keys; tuples become lists, values JSON cannot hold become their ``repr``).

``python tools/analysis/check_configs_resolve.py compare BEFORE.json``
    resolves them all again and prints every config and dotted key that differs from
    ``BEFORE.json`` (a config present on one side only counts as a difference). Exit code 1 if
    anything differs, 0 otherwise.

Run ``dump`` before editing configs and ``compare`` after: a config split, flattened or renamed
internally must resolve to the same dict. ``--config-dir`` points at another tree.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

# Keys that only record where a config's bases live (none in mmengine 0.10's ``to_dict``, which
# drops ``_base_``; listed so that a future mmengine recording them does not read as a change).
PATH_ONLY_KEYS = frozenset({'_base_', 'filename', '_filename'})


def config_paths(config_dir: Path) -> list[Path]:
    """Every config file under ``config_dir``, bases excluded, sorted."""
    return sorted(
        p for p in config_dir.rglob('*.py') if '_base_' not in p.relative_to(config_dir).parts
    )


def to_json(value: Any) -> Any:
    """``value`` with dicts made plain and sorted, tuples made lists, the rest JSON or repr."""
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return repr(value)


def resolve_all(config_dir: Path) -> dict[str, Any]:
    """``{path relative to config_dir: resolved dict}`` for every config."""
    from mmengine.config import Config

    import avssl  # noqa: F401  (lets mmengine 0.10.7 find ``mmaction::`` bases)

    resolved: dict[str, Any] = {}
    for path in config_paths(config_dir):
        cfg = Config.fromfile(str(path))
        plain = {k: v for k, v in cfg.to_dict().items() if k not in PATH_ONLY_KEYS}
        resolved[path.relative_to(config_dir).as_posix()] = to_json(plain)
    return resolved


def diff(before: Any, after: Any, key: str = '') -> list[str]:
    """Dotted keys (list items as ``[i]``) at which ``before`` and ``after`` differ."""
    if isinstance(before, dict) and isinstance(after, dict):
        found: list[str] = []
        for k in sorted(set(before) | set(after)):
            sub = f'{key}.{k}' if key else k
            if k not in after:
                found.append(f'{sub}: removed (was {before[k]!r})')
            elif k not in before:
                found.append(f'{sub}: added ({after[k]!r})')
            else:
                found += diff(before[k], after[k], sub)
        return found
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        found = []
        for i, (b, a) in enumerate(zip(before, after, strict=True)):
            found += diff(b, a, f'{key}[{i}]')
        return found
    # json.loads keeps 1 and 1.0 apart, but they compare equal: compare types too.
    if before != after or type(before) is not type(after):
        return [f'{key}: {before!r} -> {after!r}']
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('command', choices=('dump', 'compare'))
    parser.add_argument('json', type=Path, help='dump: file to write; compare: earlier dump')
    parser.add_argument('--config-dir', type=Path, default=REPO / 'configs')
    args = parser.parse_args(argv)

    resolved = resolve_all(args.config_dir)
    if args.command == 'dump':
        args.json.write_text(json.dumps(resolved, sort_keys=True, indent=1) + '\n')
        print(f'{len(resolved)} configs written to {args.json}')
        return 0

    before = json.loads(args.json.read_text())
    changed = 0
    for name in sorted(set(before) | set(resolved)):
        if name not in resolved:
            print(f'{name}: missing now')
        elif name not in before:
            print(f'{name}: new (not in {args.json})')
        else:
            lines = diff(before[name], resolved[name])
            if not lines:
                continue
            print(f'{name}:')
            for line in lines:
                print(f'  {line}')
        changed += 1
    print(f'{len(resolved)} configs compared, {changed} differ')
    return 1 if changed else 0


if __name__ == '__main__':
    sys.exit(main())
