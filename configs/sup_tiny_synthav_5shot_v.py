# Supervised, video only, on SynthAV's 5-shot labeled split (50 clips): the first tiny config.
# Trains on 2 CPU cores in a few minutes; the README's main job runs it.
_base_ = ['_base_/default_runtime.py', '_base_/models/timesformer_tiny.py']

# SynthAV (docs/synthav.md), generated on first use into data_root, and the files it holds (this
# video-only config reads three of the lists).
dataset_type = 'SynthAVDataset'
data_root = 'data/synthav'
num_classes = 10
generator_cfg = dict(num_classes=10, clips_per_class=100, seed=0)
ann_file_train = 'train.txt'
ann_file_val = 'val.txt'
ann_file_test = 'test.txt'
ann_file_labeled_1shot = 'train_labeled_1shot.txt'
ann_file_unlabeled_1shot = 'train_unlabeled_1shot.txt'
ann_file_labeled_5shot = 'train_labeled_5shot.txt'
ann_file_unlabeled_5shot = 'train_unlabeled_5shot.txt'
audio_stats_file = f'{data_root}/stats.json'  # log-mel mean / std (audio-visual configs)
boxes_file = 'boxes.json'  # sounding-object boxes (localization configs)

clip_len = 8
frame_interval = 8
train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=clip_len, frame_interval=frame_interval, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='RandomRescale', scale_range=(128, 160)),  # the 112-pixel analogue of 256-320
    dict(type='RandomCrop', size=112),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs'),
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(
        type='SampleFrames',
        clip_len=clip_len,
        frame_interval=frame_interval,
        num_clips=1,
        test_mode=True,
    ),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 128)),
    dict(type='CenterCrop', crop_size=112),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs'),
]
test_pipeline = [
    dict(type='DecordInit'),
    dict(
        type='SampleFrames',
        clip_len=clip_len,
        frame_interval=frame_interval,
        num_clips=1,
        test_mode=True,
    ),
    dict(type='DecordDecode'),
    # One view, as every tiny SynthAV config (configs/_base_/datasets/synthav_semi_112.py says
    # why): short side = crop size, centre crop.
    dict(type='Resize', scale=(-1, 112)),
    dict(type='CenterCrop', crop_size=112),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs'),
]

dataset_common = dict(type=dataset_type, data_root=data_root, generator_cfg=generator_cfg)
train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=False,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(ann_file=ann_file_labeled_5shot, pipeline=train_pipeline, **dataset_common),
)
val_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(ann_file=ann_file_val, pipeline=val_pipeline, test_mode=True, **dataset_common),
)
test_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(ann_file=ann_file_test, pipeline=test_pipeline, test_mode=True, **dataset_common),
)
val_evaluator = dict(type='AccMetric')
test_evaluator = val_evaluator

max_iters = 400
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=200)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=5e-4, weight_decay=0.05),
    paramwise_cfg=dict(
        custom_keys={
            '.backbone.cls_token': dict(decay_mult=0.0),
            '.backbone.pos_embed': dict(decay_mult=0.0),
            '.backbone.time_embed': dict(decay_mult=0.0),
        }
    ),
    clip_grad=dict(max_norm=40, norm_type=2),
)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=40),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=40, end=max_iters, eta_min=1e-5),
]
default_hooks = dict(checkpoint=dict(interval=200, save_best='acc/top1', rule='greater'))
