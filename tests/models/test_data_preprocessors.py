"""AVDataPreprocessor and MultiBranchDataPreprocessor on tiny hand-made batches."""

from __future__ import annotations

from itertools import islice
from typing import Any

import pytest
import torch
from mmaction.models import ActionDataPreprocessor
from mmaction.structures import ActionDataSample
from mmengine.dataset import BaseDataset, ConcatDataset, pseudo_collate

from avssl.datasets.samplers import RatioSampler
from avssl.datasets.transforms import MultiBranch, multi_branch_collate
from avssl.models.data_preprocessors import AVDataPreprocessor, MultiBranchDataPreprocessor
from avssl.registry import MODELS

MEAN = [1.0, 2.0, 3.0]
STD = [2.0, 4.0, 8.0]
AV_CFG = dict(type='AVDataPreprocessor', mean=MEAN, std=STD, format_shape='NCTHW')


def _item(seed: int, index: int | None = None) -> dict[str, Any]:
    """One packed AV item: imgs (1, 3, 2, 2, 2) uint8, audio (1, 1, 4, 3), asl_audio (1, 5)."""
    g = torch.Generator().manual_seed(seed)
    sample = ActionDataSample().set_gt_labels(seed % 3)
    if index is not None:
        sample.set_metainfo(dict(unlabeled_index=index))
    return {
        'inputs': {
            'imgs': torch.randint(0, 256, (1, 3, 2, 2, 2), generator=g, dtype=torch.uint8),
            'audio': torch.randn(1, 1, 4, 3, generator=g),
            'asl_audio': torch.randn(1, 5, generator=g),
        },
        'data_samples': sample,
    }


def _by_hand(imgs: torch.Tensor) -> torch.Tensor:
    """``(x - mean) / std`` per channel (dim 1 of a view), written out."""
    out = torch.empty(imgs.shape, dtype=torch.float32)
    for c in range(3):
        out[:, c] = (imgs[:, c].float() - MEAN[c]) / STD[c]
    return out


def test_av_inputs_normalise_frames_and_stack_audio() -> None:
    items = [_item(0), _item(1)]
    preprocessor = MODELS.build(AV_CFG)
    assert isinstance(preprocessor, AVDataPreprocessor)
    out = preprocessor(multi_branch_collate(items), training=True)
    inputs = out['inputs']
    assert list(inputs) == ['imgs', 'audio', 'asl_audio']
    assert inputs['imgs'].shape == (2, 1, 3, 2, 2, 2) and inputs['imgs'].dtype == torch.float32
    for b, item in enumerate(items):
        torch.testing.assert_close(inputs['imgs'][b], _by_hand(item['inputs']['imgs']))
    assert torch.equal(inputs['audio'], torch.stack([i['inputs']['audio'] for i in items]))
    assert inputs['audio'].shape == (2, 1, 1, 4, 3)
    assert inputs['asl_audio'].shape == (2, 1, 5) and inputs['asl_audio'].dtype == torch.float32
    assert [int(s.gt_labels.item) for s in out['data_samples']] == [0, 1]
    # mmengine's pseudo_collate gives a dict of per-key lists: same result.
    again = preprocessor(pseudo_collate(items), training=True)
    for key, value in inputs.items():
        assert torch.equal(again['inputs'][key], value)


def test_audio_only_inputs_and_refused_blending() -> None:
    items = [_item(0), _item(1)]
    for item in items:
        del item['inputs']['imgs']
    out = MODELS.build(AV_CFG)(multi_branch_collate(items))
    assert list(out['inputs']) == ['audio', 'asl_audio']
    blending = dict(type='MixupBlending', num_classes=3, alpha=0.2)
    preprocessor = MODELS.build(dict(AV_CFG, blending=blending))
    with pytest.raises(ValueError, match='blending'):
        preprocessor(multi_branch_collate([_item(0), _item(1)]), training=True)


def test_tensor_inputs_fall_back_to_mmaction() -> None:
    items = [_item(0), _item(1)]
    data = {
        'inputs': [i['inputs']['imgs'] for i in items],
        'data_samples': [i['data_samples'] for i in items],
    }
    out = MODELS.build(AV_CFG)(dict(data))
    parent = ActionDataPreprocessor(mean=MEAN, std=STD, format_shape='NCTHW')(dict(data))
    assert torch.equal(out['inputs'], parent['inputs'])
    torch.testing.assert_close(out['inputs'][1], _by_hand(items[1]['inputs']['imgs']))


def _multi_branch_items() -> list[dict[str, Any]]:
    """1 labeled + 2 unlabeled ``MultiBranch`` items (pipelines return prepared packs)."""
    fields = ['labeled', 'weak', 'strong']
    labeled = MultiBranch(fields, labeled=[lambda r: _item(10)])({})
    unlabeled = [
        MultiBranch(
            fields,
            weak=[lambda r, i=i: _item(20 + i, index=i)],
            strong=[lambda r, i=i: _item(30 + i, index=i)],
        )({})
        for i in range(2)
    ]
    return [labeled, *unlabeled]


def test_multi_branch_groups_a_mixed_batch() -> None:
    items = _multi_branch_items()
    preprocessor = MODELS.build(dict(type='MultiBranchDataPreprocessor', data_preprocessor=AV_CFG))
    assert isinstance(preprocessor, MultiBranchDataPreprocessor)
    out = preprocessor(multi_branch_collate(items), training=True)
    assert list(out['inputs']) == ['labeled', 'weak', 'strong']
    assert list(out['data_samples']) == ['labeled', 'weak', 'strong']
    sizes = {b: x['imgs'].shape[0] for b, x in out['inputs'].items()}
    assert sizes == {'labeled': 1, 'weak': 2, 'strong': 2}
    assert out['inputs']['weak']['audio'].shape == (2, 1, 1, 4, 3)
    assert [s.unlabeled_index for s in out['data_samples']['strong']] == [0, 1]
    strong_imgs = items[2]['inputs']['strong']['imgs']
    torch.testing.assert_close(out['inputs']['strong']['imgs'][1], _by_hand(strong_imgs))
    # A batch of unlabeled items only: no 'labeled' branch; pseudo_collate can collate it too.
    for collate in (multi_branch_collate, pseudo_collate):
        only = preprocessor(collate(items[1:]), training=True)
        assert list(only['inputs']) == ['weak', 'strong']
        assert torch.equal(only['inputs']['weak']['imgs'], out['inputs']['weak']['imgs'])


def test_multi_branch_passes_plain_batches_through_in_eval() -> None:
    items = [_item(0), _item(1)]
    preprocessor = MultiBranchDataPreprocessor(AV_CFG)
    out = preprocessor(pseudo_collate(items), training=False)
    expected = AVDataPreprocessor(mean=MEAN, std=STD)(pseudo_collate(items))
    assert [int(s.gt_labels.item) for s in out['data_samples']] == [0, 1]
    for key, value in expected['inputs'].items():
        assert torch.equal(out['inputs'][key], value)


class _Videos(BaseDataset):
    """``size`` in-memory items, packed by the pipeline."""

    def __init__(self, size: int, pipeline: list) -> None:
        self._size = size
        super().__init__(pipeline=pipeline, serialize_data=False)

    def load_data_list(self) -> list[dict]:
        return [dict(label=i % 3) for i in range(self._size)]


def _pack(index_key: str | None) -> Any:
    def pack(results: dict[str, Any]) -> dict[str, Any]:
        item = _item(results['sample_idx'])
        if index_key is not None:
            item['data_samples'].set_metainfo({index_key: results['sample_idx']})
        return item

    return pack


def test_sampler_transform_collate_preprocessor_together() -> None:
    fields = ['labeled', 'weak', 'strong']
    labeled = _Videos(3, [dict(type='MultiBranch', branch_field=fields, labeled=[_pack(None)])])
    unlabeled = _Videos(
        12,
        [
            dict(
                type='MultiBranch',
                branch_field=fields,
                weak=[_pack('unlabeled_index')],
                strong=[_pack('unlabeled_index')],
            )
        ],
    )
    dataset = ConcatDataset([labeled, unlabeled])
    sampler = RatioSampler(dataset, batch_size=3, source_ratio=(1, 2), seed=0)
    loader = torch.utils.data.DataLoader(
        dataset, batch_size=3, sampler=sampler, collate_fn=multi_branch_collate
    )
    preprocessor = MultiBranchDataPreprocessor(AV_CFG)
    seen: list[int] = []
    for batch in islice(loader, 6):
        out = preprocessor(batch, training=True)
        assert {b: len(s) for b, s in out['data_samples'].items()} == {
            'labeled': 1,
            'weak': 2,
            'strong': 2,
        }
        weak_idx = [s.unlabeled_index for s in out['data_samples']['weak']]
        assert weak_idx == [s.unlabeled_index for s in out['data_samples']['strong']]
        seen += weak_idx
    assert sorted(seen) == list(range(12))
