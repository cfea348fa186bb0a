# Supervised training of the tiny audio-visual model on SynthAV (CPU, minutes). Children pick
# the labeled list and the modalities; the data path is the same for all of them.
_base_ = [
    '../default_runtime.py',
    '../models/av_tiny.py',
    '../datasets/synthav.py',
    '../pipelines/av_112.py',
]

model = dict(cls_head=dict(num_classes={{_base_.num_classes}}))

dataset_common = dict(
    type={{_base_.dataset_type}},
    data_root={{_base_.data_root}},
    generator_cfg={{_base_.generator_cfg}},
)
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        ann_file={{_base_.ann_file_train}}, pipeline={{_base_.train_pipeline}}, **dataset_common
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
        **dataset_common,
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
        **dataset_common,
    ),
)
val_evaluator = dict(type='AccMetric')
test_evaluator = val_evaluator

max_iters = 600
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=300)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=5e-4, weight_decay=0.05),
    paramwise_cfg=dict(
        custom_keys={
            '.cls_token': dict(decay_mult=0.0),
            '.pos_embed': dict(decay_mult=0.0),
            '.time_embed': dict(decay_mult=0.0),
        }
    ),
    clip_grad=dict(max_norm=40, norm_type=2),
)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=50),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=50, end=max_iters, eta_min=1e-5),
]
default_hooks = dict(checkpoint=dict(interval=300, save_best='acc/top1', rule='greater'))
