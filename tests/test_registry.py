"""The avssl registries mirror every mmaction2 registry, and every avssl class builds."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
import torch
import torch.distributed as dist
from helpers import TINY_VIDEO
from mmengine.registry import MODELS as ROOT_MODELS
from mmengine.registry import Registry

import avssl.registry as avssl_registry
from avssl.registry import DATASETS


def test_every_mmaction_registry_has_an_avssl_child() -> None:
    import mmaction.registry as mmaction_registry

    parents = {
        name: reg
        for name, reg in vars(mmaction_registry).items()
        if isinstance(reg, Registry) and reg.scope == 'mmaction'
    }
    assert len(parents) >= 20
    assert set(parents) == set(avssl_registry.AVSSL_REGISTRIES)
    for name, parent in parents.items():
        child = getattr(avssl_registry, name)
        assert child.scope == 'avssl', name
        assert child.parent is parent, name
        assert parent.children['avssl'] is child, name


def test_default_scope_reaches_mmaction_and_avssl_classes() -> None:
    # Built through mmengine's root registry, as the Runner does, with default scope avssl.
    model = ROOT_MODELS.build(dict(TINY_VIDEO))
    assert type(model).__module__.startswith('mmaction.')
    assert avssl_registry.DATASETS.get('VideoListDataset') is not None
    assert avssl_registry.DATASETS.get('VideoDataset') is not None  # falls back to mmaction2


def _ddp_kwargs(tmp_path: Any) -> dict:
    if not dist.is_initialized():
        dist.init_process_group('gloo', init_method=f'file://{tmp_path}/pg', rank=0, world_size=1)
    return dict(module=torch.nn.Linear(2, 2), device_ids=[0])


def _dataset_kwargs(tiny_synthav: Any) -> dict:
    return dict(pipeline=[], data_root=str(tiny_synthav))


#: How to build each registered avssl class. A class registered without an entry here fails
#: the test below, so every new component gets built at least once.
BUILD_KWARGS = {
    'LOOPS': {
        # a loop needs a runner; the recipe gives it the attributes the constructor reads
        'IndexSkipIterBasedTrainLoop': lambda ctx: dict(
            runner=SimpleNamespace(visualizer=SimpleNamespace()),
            dataloader=torch.utils.data.DataLoader(list(range(4)), batch_size=2),
            max_iters=2,
        ),
    },
    'HOOKS': {
        'RandomStateHook': lambda ctx: {},
        'EMATeacherHook': lambda ctx: dict(decay=0.99),
        'ThresholdHook': lambda ctx: {},
        'FiniteGuardHook': lambda ctx: {},
        'CheckpointFitHook': lambda ctx: dict(ignore_keys=[r'cls_head\.']),
        'PrototypeImprintHook': lambda ctx: {},
    },
    'METRICS': {
        'SemiAccMetric': lambda ctx: {},
        'LocalizationMetric': lambda ctx: {},
    },
    'MODEL_WRAPPERS': {'AnyDeviceDistributedDataParallel': lambda ctx: _ddp_kwargs(ctx['tmp'])},
    'DATASETS': {
        'VideoListDataset': lambda ctx: dict(_dataset_kwargs(ctx['synthav']), ann_file='val.txt'),
        'SemiDataset': lambda ctx: dict(
            labeled=dict(
                type='VideoListDataset', **_dataset_kwargs(ctx['synthav']), ann_file='val.txt'
            ),
            unlabeled=dict(
                type='VideoListDataset', **_dataset_kwargs(ctx['synthav']), ann_file='test.txt'
            ),
        ),
        'SynthAVDataset': lambda ctx: dict(
            _dataset_kwargs(ctx['synthav']), ann_file='train.txt', auto_generate=True
        ),
    },
    'DATA_SAMPLERS': {
        'RatioSampler': lambda ctx: dict(
            dataset=_concat(ctx['synthav']), batch_size=6, source_ratio=(1, 5), seed=0
        ),
    },
    'FUNCTION': {'multi_branch_collate': None},
    'TRANSFORMS': {
        'AVDecordInit': lambda ctx: {},
        'AVDecordDecode': lambda ctx: {},
        'LoadAudioWindow': lambda ctx: dict(stats_file=str(ctx['synthav'] / 'stats.json')),
        'LoadLocalizerAudio': lambda ctx: {},
        'LoadSoundingBox': lambda ctx: {},
        'SpecAugment': lambda ctx: {},
        'ClipRandAugment': lambda ctx: {},
        'PackAVInputs': lambda ctx: {},
        'MultiBranch': lambda ctx: dict(
            branch_field=['labeled', 'weak'], labeled=[dict(type='PackAVInputs')]
        ),
    },
    'MODELS': {
        'AudioTransformer': lambda ctx: _TINY_AUDIO,
        'MixableTimeSformer': lambda ctx: _TINY_VIDEO,
        'TemporalWarp': lambda ctx: dict(seed=0),
        'TubeTokenMix': lambda ctx: dict(seed=0),
        'ASLGuidedMix': lambda ctx: dict(seed=0),
        'FixedThreshold': lambda ctx: dict(num_classes=4),
        'FlexMatchThreshold': lambda ctx: dict(num_classes=4, num_samples=10),
        'FreeMatchThreshold': lambda ctx: dict(num_classes=4),
        'DistributionAlignment': lambda ctx: dict(num_classes=4, momentum=0.99),
        'ModalityGate': lambda ctx: dict(modality='audio'),
        'PercentileThreshold': lambda ctx: dict(num_classes=4, num_samples=10),
        'AVSemiRecognizer': lambda ctx: dict(
            network=dict(
                type='AVRecognizer',
                backbone=dict(type='MixableTimeSformer', **_TINY_VIDEO),
                cls_head=dict(type='TimeSformerHead', num_classes=4, in_channels=24),
            )
        ),
        'ConcatFusion': lambda ctx: {},
        'TransformerFusion': lambda ctx: dict(
            video_dims=8, audio_dims=8, embed_dims=8, num_layers=1, num_heads=2
        ),
        'SyncPoolFusion': lambda ctx: dict(
            video_dims=8,
            audio_dims=8,
            embed_dims=8,
            num_layers=1,
            num_heads=2,
            num_frames=2,
            audio_grid=(2, 2),
            slots=[0, 1],
        ),
        'SourcePoolFusion': lambda ctx: dict(
            video_dims=8, audio_dims=8, embed_dims=8, num_layers=1, num_heads=2, num_frames=2
        ),
        'SourceConcatFusion': lambda ctx: dict(video_dims=8, audio_dims=8, num_frames=2),
        'CosineHead': lambda ctx: dict(num_classes=3, in_channels=8),
        'AVContrastiveLoss': lambda ctx: dict(video_dims=8, audio_dims=12),
        'UnimodalAuxHead': lambda ctx: dict(num_classes=3, video_dims=8, audio_dims=12),
        'FNAC': lambda ctx: dict(width_mult=0.125, embed_dim=16),
        'AVRecognizer': lambda ctx: dict(
            audio_backbone=dict(type='AudioTransformer', **_TINY_AUDIO),
            cls_head=dict(type='TimeSformerHead', num_classes=4, in_channels=24),
        ),
        'AVDataPreprocessor': lambda ctx: dict(mean=[0.0] * 3, std=[1.0] * 3),
        'MultiBranchDataPreprocessor': lambda ctx: dict(
            data_preprocessor=dict(type='AVDataPreprocessor', mean=[0.0] * 3, std=[1.0] * 3)
        ),
    },
}

_TINY_VIDEO = dict(
    num_frames=2, img_size=32, patch_size=16, embed_dims=24, num_heads=2, num_transformer_layers=1
)
_TINY_AUDIO = dict(input_tdim=64, input_fdim=32, patch_size=16, embed_dims=24, depth=1, num_heads=2)


def _concat(root: Any) -> Any:
    from mmengine.dataset import ConcatDataset

    return ConcatDataset(
        [
            DATASETS.build(
                dict(type='VideoListDataset', **_dataset_kwargs(root), ann_file=f'train_{part}.txt')
            )
            for part in ('labeled_1shot', 'unlabeled_1shot')
        ]
    )


def test_every_registered_avssl_class_builds(tiny_synthav: Any, tmp_path: Any) -> None:
    ctx = {'synthav': tiny_synthav, 'tmp': tmp_path}
    built = 0
    for reg_name, registry in avssl_registry.AVSSL_REGISTRIES.items():
        registry.import_from_location()
        for cls_name in registry.module_dict:
            if cls_name.startswith('_'):  # registered by a test module, not by avssl
                continue
            recipes = BUILD_KWARGS.get(reg_name, {})
            if cls_name not in recipes:
                pytest.fail(f'{reg_name}.{cls_name} has no build recipe in BUILD_KWARGS')
            if recipes[cls_name] is None:  # a registered function, not a class
                assert callable(registry.get(cls_name))
                continue
            obj = registry.build(dict(type=cls_name, **recipes[cls_name](ctx)))
            assert type(obj).__name__ == cls_name
            built += 1
    assert built >= 16
    if dist.is_initialized():
        dist.destroy_process_group()
