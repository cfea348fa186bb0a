# Audio-visual pipelines for 224x224 clips (the ViT-B models, docs/method.md section 1). Audio
# statistics come from `stats.json` in each item's data set folder, so these pipelines serve
# every data set.
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

# Supervised training: one view.
train_pipeline = _load + _jitter_crop + _flip + _format + [dict(type='PackAVInputs')]

# Semi-supervised training: labeled items one view, unlabeled items a weak and a strong view
# (an independently sampled clip, flipped, SpecAugment on its audio, plus the localizer's raw
# 3 s audio). Temporal warping is a batch op inside the model.
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
