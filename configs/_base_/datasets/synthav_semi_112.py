# Semi-supervised SynthAV data for the tiny models: 1 labeled : 5 unlabeled clips per batch
# (1-shot lists; 5-shot configs override the two ann_file keys), val and test loaders.
_base_ = ['synthav.py', '../pipelines/av_112.py']

_dataset = dict(
    type={{_base_.dataset_type}},
    data_root={{_base_.data_root}},
    generator_cfg={{_base_.generator_cfg}},
)
batch_size = 12  # per process: 2 labeled + 10 unlabeled
train_dataloader = dict(
    batch_size=batch_size,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='RatioSampler', batch_size=batch_size, source_ratio=[1, 5]),
    collate_fn=dict(type='avssl.datasets.transforms.multi_branch_collate'),
    dataset=dict(
        type='SemiDataset',
        labeled=dict(
            ann_file={{_base_.ann_file_labeled_1shot}},
            pipeline={{_base_.semi_labeled_pipeline}},
            **_dataset,
        ),
        unlabeled=dict(
            ann_file={{_base_.ann_file_unlabeled_1shot}},
            pipeline={{_base_.semi_unlabeled_pipeline}},
            **_dataset,
        ),
    ),
)
val_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        ann_file={{_base_.ann_file_val}},
        pipeline={{_base_.val_pipeline}},
        test_mode=True,
        **_dataset,
    ),
)
test_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        ann_file={{_base_.ann_file_test}},
        pipeline={{_base_.test_pipeline}},
        test_mode=True,
        **_dataset,
    ),
)
