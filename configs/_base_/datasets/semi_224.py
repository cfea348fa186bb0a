# Semi-supervised loaders at 224 for the real data sets. The data set bases
# (`ucf51_semi_224.py`, ...) set `data_root`; lists are the same names everywhere.
_base_ = ['../pipelines/av_224.py']

batch_size = 6  # per process: 1 labeled + 5 unlabeled (docs/method.md section 7: 1:5 per batch)
train_dataloader = dict(
    batch_size=batch_size,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='RatioSampler', batch_size=batch_size, source_ratio=[1, 5]),
    collate_fn=dict(type='avssl.datasets.transforms.multi_branch_collate'),
    dataset=dict(
        type='SemiDataset',
        labeled=dict(
            type='VideoListDataset',
            ann_file='train_labeled_1shot.txt',
            pipeline={{_base_.semi_labeled_pipeline}},
        ),
        unlabeled=dict(
            type='VideoListDataset',
            ann_file='train_unlabeled_1shot.txt',
            pipeline={{_base_.semi_unlabeled_pipeline}},
        ),
    ),
)
val_dataloader = dict(
    batch_size=8,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='VideoListDataset',
        ann_file='val.txt',
        pipeline={{_base_.val_pipeline}},
        test_mode=True,
    ),
)
test_dataloader = dict(
    batch_size=1,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='VideoListDataset',
        ann_file='test.txt',
        pipeline={{_base_.test_pipeline}},
        test_mode=True,
    ),
)
