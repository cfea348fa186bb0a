"""The config tree stays flat and readable (mmaction2 / mmdetection style).

- A leaf config has at most two levels of its own bases (leaf -> base -> base; a leaf that
  inherits another leaf counts it as a level; ``mmaction::`` bases are not our own).
- No base is a library of loose variables spliced with ``{{_base_.x}}``: bases define real
  config fields, and nothing is spliced.
- ``_delete_`` only where a dict must be replaced wholesale (mmaction2's default hooks, the
  imprint configs' neck and head).
- The method's numbers are written in the configs that train it, and the values that the flat
  layout writes in more than one file agree.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest
from mmengine.config import Config

CONFIG_DIR = Path(__file__).resolve().parents[1] / 'configs'
BASE_DIR = CONFIG_DIR / '_base_'
ALL_FILES = sorted(CONFIG_DIR.rglob('*.py'))
LEAVES = [p for p in ALL_FILES if '_base_' not in p.relative_to(CONFIG_DIR).parts]
BASES = [p for p in ALL_FILES if p not in LEAVES]
MAX_DEPTH = 2
#: The only ``_delete_`` allowed, with how often it may occur: replacing mmaction2's
#: ``default_hooks`` (a merge cannot remove its ``sync_buffers`` entry), and the imprinted
#: cosine classifier's neck and head, which take none of the arguments of the fusion and the
#: linear head they replace.
DELETE_ALLOWED = {
    '_base_/default_runtime.py': 1,
    **{
        f'ablations/{p.name}': 2
        # the audio-visual rows replace the fusion and the head; the one-modality rows' head
        # keeps its keys (CosineHead takes them) and their fusion is set to None
        for p in sorted((CONFIG_DIR / 'ablations').glob('*_auxsum_mdrop*_it800_imprint*.py'))
    },
}
#: Top-level fields an mmengine Runner reads; every base must define at least one.
REAL_FIELDS = {
    'model',
    'train_dataloader',
    'val_dataloader',
    'test_dataloader',
    'val_evaluator',
    'test_evaluator',
    'train_cfg',
    'val_cfg',
    'test_cfg',
    'optim_wrapper',
    'param_scheduler',
    'default_hooks',
    'custom_hooks',
    'default_scope',
    'env_cfg',
    'randomness',
}


def _rel(path: Path) -> str:
    return path.relative_to(CONFIG_DIR).as_posix()


def _assignments(path: Path) -> dict[str, ast.expr]:
    """Top-level ``name = value`` assignments of a config file."""
    tree = ast.parse(path.read_text(encoding='utf-8'), filename=str(path))
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value
    return found


@cache
def own_bases(path: Path) -> tuple[Path, ...]:
    """The files ``path`` names in ``_base_``, resolved; ``package::`` bases left out."""
    value = _assignments(path).get('_base_')
    if value is None:
        return ()
    names = ast.literal_eval(value)
    names = [names] if isinstance(names, str) else list(names)
    found = []
    for name in names:
        if '::' in name:
            continue
        base = (path.parent / name).resolve()
        assert base.is_file(), f'{_rel(path)}: base {name} does not exist'
        found.append(base)
    return tuple(found)


@cache
def depth(path: Path) -> int:
    """Levels of own bases below ``path`` (0: none)."""
    bases = own_bases(path)
    return 1 + max(depth(b) for b in bases) if bases else 0


def test_the_tree_is_there() -> None:
    assert len(LEAVES) > 50 and BASES


@pytest.mark.parametrize('path', LEAVES, ids=_rel)
def test_leaf_has_at_most_two_levels_of_own_bases(path: Path) -> None:
    chain = [path]
    while own_bases(chain[-1]):
        chain.append(max(own_bases(chain[-1]), key=depth))
    assert depth(path) <= MAX_DEPTH, 'too deep: ' + ' -> '.join(_rel(p) for p in chain)


@pytest.mark.parametrize('path', ALL_FILES, ids=_rel)
def test_nothing_is_spliced_from_a_base(path: Path) -> None:
    text = path.read_text(encoding='utf-8')
    assert '{{_base_.' not in text.replace(' ', ''), (
        f'{_rel(path)} splices a base variable: define the value where it is used, or in the '
        'base that defines the real field'
    )


@pytest.mark.parametrize('path', BASES, ids=_rel)
def test_every_base_defines_real_fields(path: Path) -> None:
    fields = set(_assignments(path)) & REAL_FIELDS
    assert fields, f'{_rel(path)} defines no config field, only loose variables'


def test_every_base_is_used() -> None:
    used = {b for p in ALL_FILES for b in own_bases(p)}
    unused = [_rel(p) for p in BASES if p.resolve() not in used]
    assert not unused, f'bases no config inherits: {unused}'


def _delete_count(path: Path) -> int:
    """``_delete_`` keys in a config's code: ``dict(_delete_=...)``, ``{'_delete_': ...}``."""
    tree = ast.parse(path.read_text(encoding='utf-8'), filename=str(path))
    count = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == '_delete_':
            count += 1
        elif isinstance(node, ast.Dict):
            count += sum(isinstance(k, ast.Constant) and k.value == '_delete_' for k in node.keys)
    return count


def test_delete_only_where_a_dict_is_replaced_wholesale() -> None:
    counts = {_rel(p): n for p in ALL_FILES if (n := _delete_count(p))}
    assert counts == DELETE_ALLOWED


# --------------------------------------------------------------------------- the numbers
@cache
def _load(path: Path) -> Config:
    return Config.fromfile(str(path))


#: The method's configs whose readers must see its numbers in the file itself.
METHOD_CONFIGS = ['avssl_tiny_synthav_1shot.py', 'avssl_vitb_ucf51_1shot.py']


@pytest.mark.parametrize('name', METHOD_CONFIGS)
def test_method_numbers_are_written_in_the_method_configs(name: str) -> None:
    text = (CONFIG_DIR / name).read_text(encoding='utf-8')
    for needle in (
        'tau = 0.3',  # FlexMatch's base threshold (the class default, so in a comment)
        'Beta(5, 10)',  # the ASL mix's lambda (the class defaults)
        'gamma1=2.0',
        'gamma2=2.0',
        'gamma3=0.1',
        "dict(type='EMATeacherHook', decay=0.99)",
    ):
        assert needle in text, f'{name} does not show {needle}'


@pytest.mark.parametrize('path', LEAVES, ids=_rel)
def test_copied_values_agree(path: Path) -> None:
    """The reference values of the model bases agree with the copies the configs write."""
    cfg = _load(path)
    model = cfg.model
    for model_key, names in (
        (
            'localizer',
            ('avssl_tiny_localizer', 'avssl_tiny_localizer_long', 'avssl_vitb_localizer'),
        ),
        ('contrast_cfg', ('avssl_tiny_contrast_cfg', 'avssl_contrast_cfg')),
    ):
        refs = [cfg.get(n) for n in names if cfg.get(n) is not None]
        if model.get(model_key) is None or not refs:
            continue
        assert model[model_key] in refs, f'{_rel(path)}: model.{model_key} matches no reference'


def _pipelines(cfg: Config) -> dict:
    keys = ('train_pipeline', 'val_pipeline', 'test_pipeline')
    keys += ('semi_labeled_pipeline', 'semi_unlabeled_pipeline')
    return {k: cfg[k] for k in keys}


@pytest.mark.parametrize(
    'group',
    [
        ['ucf51_semi_224.py', 'k400_semi_224.py', 'vggsound_semi_224.py'],
        ['synthav_semi_112.py', 'synthav_sup_112.py'],
    ],
    ids=['224', '112'],
)
def test_data_bases_of_one_size_share_their_pipelines(group: list[str]) -> None:
    first, *others = [_pipelines(_load(BASE_DIR / 'datasets' / name)) for name in group]
    for name, pipelines in zip(group[1:], others, strict=True):
        assert pipelines == first, f'{name} and {group[0]} build different pipelines'
