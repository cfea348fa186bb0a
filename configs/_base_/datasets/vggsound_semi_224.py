# VGGSound (309 classes, unavailable videos removed) for the ViT-B semi-supervised configs:
# 8x224x224 clips with their audio (docs/method.md section 1), 1 labeled : 5 unlabeled clips
# per batch from the 1-shot lists (5-shot configs change the two ann_file keys), val and test
# loaders, teacher and student accuracy side by side.

# The folder written by tools/data/vggsound/prepare.py (docs/datasets.md) and the files it holds.
dataset_type = 'VideoListDataset'
data_root = 'data/vggsound'
num_classes = 309
ann_file_train = 'train.txt'
ann_file_val = 'val.txt'
ann_file_test = 'test.txt'
ann_file_labeled_1shot = 'train_labeled_1shot.txt'
ann_file_unlabeled_1shot = 'train_unlabeled_1shot.txt'
ann_file_labeled_5shot = 'train_labeled_5shot.txt'
ann_file_unlabeled_5shot = 'train_unlabeled_5shot.txt'
# Log-mel mean / std of the training audio (LoadAudioWindow reads each item's stats.json).
audio_stats_file = f'{data_root}/stats.json'

# Pipelines. Audio statistics come from stats.json in each item's data set folder.
crop_size = 224
scale_range = (256, 320)  # short side jittered in [256, 320], then a random 224 crop
val_scale = 256
clip_len = 8
frame_interval = 8  # 8 x 8 frames: 2.56 s at 25 fps, the span of 256 filterbank frames
audio_frames = 256

_load = [
    dict(type='AVDecordInit'),
    dict(type='SampleFrames', clip_len=clip_len, frame_interval=frame_interval, num_clips=1),
    dict(type='AVDecordDecode'),
    dict(type='LoadAudioWindow', num_frames=audio_frames),
]
_jitter_crop = [
    dict(type='RandomRescale', scale_range=scale_range),
    dict(type='RandomCrop', size=crop_size),
]
_format = [dict(type='FormatShape', input_format='NCTHW')]
_flip = [dict(type='Flip', flip_ratio=0.5)]

# One training view (the labeled clips).
train_pipeline = _load + _jitter_crop + _flip + _format + [dict(type='PackAVInputs')]

# Labeled items one view, unlabeled items a weak and a strong view (an independently sampled
# clip, flipped, SpecAugment on its audio, plus the localizer's raw 3 s audio). Temporal warping
# is a batch op inside the model.
branch_field = ['labeled', 'weak', 'strong']
semi_labeled_pipeline = [
    dict(type='MultiBranch', branch_field=branch_field, labeled=train_pipeline),
]
semi_unlabeled_pipeline = [
    dict(
        type='MultiBranch',
        branch_field=branch_field,
        weak=_load
        + _jitter_crop
        + _format
        + [dict(type='PackAVInputs', index_key='unlabeled_index')],
        strong=_load
        + [dict(type='LoadLocalizerAudio', duration=3.0)]
        + _jitter_crop
        + _flip
        + [dict(type='SpecAugment', freq_mask_param=24, time_mask_param=48)]
        + _format
        + [dict(type='PackAVInputs', index_key='unlabeled_index')],
    )
]

_load_test = [
    dict(type='AVDecordInit'),
    dict(
        type='SampleFrames',
        clip_len=clip_len,
        frame_interval=frame_interval,
        num_clips=1,
        test_mode=True,
    ),
    dict(type='AVDecordDecode'),
    dict(type='LoadAudioWindow', num_frames=audio_frames),
]
val_pipeline = (
    _load_test
    + [
        dict(type='Resize', scale=(-1, val_scale)),
        dict(type='CenterCrop', crop_size=crop_size),
    ]
    + _format
    + [dict(type='PackAVInputs')]
)
# 5 clips x 3 crops. As mmaction2's TimeSformer test: short side = crop size, three crops along
# the long side (identical on square frames, distinct on real 4:3 and 16:9 videos).
test_pipeline = (
    [
        dict(type='AVDecordInit'),
        dict(
            type='SampleFrames',
            clip_len=clip_len,
            frame_interval=frame_interval,
            num_clips=5,
            test_mode=True,
        ),
        dict(type='AVDecordDecode'),
        dict(type='LoadAudioWindow', num_frames=audio_frames),
        dict(type='Resize', scale=(-1, crop_size)),
        dict(type='ThreeCrop', crop_size=crop_size),
    ]
    + _format
    + [dict(type='PackAVInputs')]
)

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
            type=dataset_type,
            data_root=data_root,
            ann_file=ann_file_labeled_1shot,
            pipeline=semi_labeled_pipeline,
        ),
        unlabeled=dict(
            type=dataset_type,
            data_root=data_root,
            ann_file=ann_file_unlabeled_1shot,
            pipeline=semi_unlabeled_pipeline,
        ),
    ),
)
val_dataloader = dict(
    batch_size=8,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file=ann_file_val,
        pipeline=val_pipeline,
        test_mode=True,
    ),
)
test_dataloader = dict(
    batch_size=1,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file=ann_file_test,
        pipeline=test_pipeline,
        test_mode=True,
    ),
)
val_evaluator = dict(type='SemiAccMetric')  # teacher and student side by side
test_evaluator = val_evaluator
