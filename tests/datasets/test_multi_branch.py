"""MultiBranch: output structure per data set, independent deep copies, None handling."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from mmaction.structures import ActionDataSample
from mmcv.transforms import BaseTransform
from mmengine.dataset import pseudo_collate
from mmengine.registry import FUNCTIONS

from avssl.datasets.transforms import MultiBranch, multi_branch_collate
from avssl.registry import FUNCTION as AVSSL_FUNCTION
from avssl.registry import TRANSFORMS

BRANCHES = ['labeled', 'weak', 'strong']


@TRANSFORMS.register_module(name='_TestDrawAndMutate', force=True)
class _DrawAndMutate(BaseTransform):
    """Draw a random number and mutate the shared-looking list of the results."""

    def transform(self, results: dict[str, Any]) -> dict[str, Any]:
        results['draw'] = float(np.random.rand())
        results['history'].append(self.__class__.__name__)
        return results


def _pack(results: dict[str, Any]) -> dict[str, Any]:
    sample = ActionDataSample().set_gt_labels(results['label'])
    sample.set_metainfo(dict(draw=results['draw'], history=list(results['history'])))
    return {
        'inputs': {'imgs': torch.full((1, 3, 1, 2, 2), results['draw'])},
        'data_samples': sample,
    }


def _pipeline() -> list:
    return [dict(type='_TestDrawAndMutate'), _pack]


def _results() -> dict[str, Any]:
    return dict(label=2, sample_idx=4, history=['loaded'])


def test_labeled_item_fills_only_its_branch() -> None:
    transform = TRANSFORMS.build(
        dict(type='MultiBranch', branch_field=BRANCHES, labeled=_pipeline())
    )
    assert isinstance(transform, MultiBranch)
    out = transform(_results())
    assert list(out) == ['inputs', 'data_samples']
    assert list(out['inputs']) == BRANCHES and list(out['data_samples']) == BRANCHES
    assert out['inputs']['weak'] is None and out['inputs']['strong'] is None
    assert out['data_samples']['weak'] is None and out['data_samples']['strong'] is None
    assert out['inputs']['labeled']['imgs'].shape == (1, 3, 1, 2, 2)
    assert int(out['data_samples']['labeled'].gt_labels.item) == 2


def test_unlabeled_item_gets_independent_deep_copied_branches() -> None:
    transform = MultiBranch(branch_field=BRANCHES, weak=_pipeline(), strong=_pipeline())
    results = _results()
    out = transform(results)
    assert out['inputs']['labeled'] is None and out['data_samples']['labeled'] is None
    weak, strong = out['data_samples']['weak'], out['data_samples']['strong']
    # Each branch mutated its own copy: the input and the other branch are untouched.
    assert results['history'] == ['loaded'] and 'draw' not in results
    assert weak.history == ['loaded', '_DrawAndMutate']
    assert strong.history == ['loaded', '_DrawAndMutate']
    # Random draws are separate per branch.
    assert weak.draw != strong.draw
    assert out['inputs']['weak']['imgs'][0, 0, 0, 0, 0].item() == pytest.approx(weak.draw)


def test_none_from_any_branch_gives_none() -> None:
    transform = MultiBranch(branch_field=BRANCHES, weak=_pipeline(), strong=[lambda r: None])
    assert transform(_results()) is None


def test_bad_configuration_raises() -> None:
    with pytest.raises(ValueError, match=r"\['student'\].*branch_field"):
        MultiBranch(branch_field=BRANCHES, student=_pipeline())
    with pytest.raises(ValueError, match='at least one pipeline'):
        MultiBranch(branch_field=BRANCHES)
    with pytest.raises(KeyError, match="branch 'weak'.*packer"):
        MultiBranch(branch_field=BRANCHES, weak=[dict(type='_TestDrawAndMutate')])(_results())


def test_collate_keeps_per_item_branch_dicts() -> None:
    labeled = MultiBranch(branch_field=BRANCHES, labeled=_pipeline())(_results())
    unlabeled = MultiBranch(branch_field=BRANCHES, weak=_pipeline(), strong=_pipeline())(_results())
    # pseudo_collate recurses into the first item's dict inputs and fails on the later None.
    with pytest.raises(TypeError):
        pseudo_collate([labeled, unlabeled])
    # As the Runner resolves collate_fn: through mmengine's root registry, by import path.
    assert FUNCTIONS.get('avssl.datasets.transforms.multi_branch_collate') is multi_branch_collate
    assert AVSSL_FUNCTION.get('multi_branch_collate') is multi_branch_collate
    batch = multi_branch_collate([labeled, unlabeled])
    assert list(batch) == ['inputs', 'data_samples']
    for key in batch:
        assert len(batch[key]) == 2
        assert batch[key][0] is labeled[key] and batch[key][1] is unlabeled[key]
    with pytest.raises(KeyError, match='item 1'):
        multi_branch_collate([labeled, {'inputs': None}])
