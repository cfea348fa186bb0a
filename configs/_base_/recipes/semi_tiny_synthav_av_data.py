# Semi-supervised audio-visual data on SynthAV (1-shot lists), for the tiny CPU configs:
# 1 labeled : 5 unlabeled clips per batch; labeled clips give one view, unlabeled clips a weak
# and a strong view (an independently sampled clip, flipped, SpecAugment on its audio, and the
# localizer's raw 3 s audio). Temporal warping is a batch op inside the model.
_base_ = ['../datasets/synthav.py']

stats_file = {{_base_.audio_stats_file}}
clip_len = 8
frame_interval = 8
audio_frames = 256
branch_field = ['labeled', 'weak', 'strong']

_load = [
    dict(type='AVDecordInit'),
    dict(type='SampleFrames', clip_len=clip_len, frame_interval=frame_interval, num_clips=1),
    dict(type='AVDecordDecode'),
    dict(type='LoadAudioWindow', num_frames=audio_frames, stats_file=stats_file),
]
_jitter_crop = [
    dict(type='RandomRescale', scale_range=(128, 160)),
    dict(type='RandomCrop', size=112),
]
labeled_pipeline = [
    dict(
        type='MultiBranch',
        branch_field=branch_field,
        labeled=_load
        + _jitter_crop
        + [
            dict(type='Flip', flip_ratio=0.5),
            dict(type='FormatShape', input_format='NCTHW'),
            dict(type='PackAVInputs'),
        ],
    )
]
unlabeled_pipeline = [
    dict(
        type='MultiBranch',
        branch_field=branch_field,
        weak=_load
        + _jitter_crop
        + [
            dict(type='FormatShape', input_format='NCTHW'),
            dict(type='PackAVInputs', index_key='unlabeled_index'),
        ],
        strong=_load
        + [dict(type='LoadLocalizerAudio', duration=3.0)]
        + _jitter_crop
        + [
            dict(type='Flip', flip_ratio=0.5),
            dict(type='SpecAugment', freq_mask_param=24, time_mask_param=48),
            dict(type='FormatShape', input_format='NCTHW'),
            dict(type='PackAVInputs', index_key='unlabeled_index'),
        ],
    )
]

dataset_common = dict(
    type={{_base_.dataset_type}},
    data_root={{_base_.data_root}},
    generator_cfg={{_base_.generator_cfg}},
)
labeled_dataset = dict(
    ann_file={{_base_.ann_file_labeled_1shot}}, pipeline=labeled_pipeline, **dataset_common
)
unlabeled_dataset = dict(
    ann_file={{_base_.ann_file_unlabeled_1shot}}, pipeline=unlabeled_pipeline, **dataset_common
)
train_dataloader = dict(
    batch_size=12,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='RatioSampler', batch_size=12, source_ratio=[1, 5], shuffle=True),
    collate_fn=dict(type='avssl.datasets.transforms.multi_branch_collate'),
    dataset=dict(type='ConcatDataset', datasets=[labeled_dataset, unlabeled_dataset]),
)
