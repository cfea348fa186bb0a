# SynthAV for the audio source localizer (FNAC, docs/fnac.md): one frame per clip plus the raw
# 3 s of audio centred on it (`asl_audio`), ImageNet-normalised by the model. Training takes a
# random frame, resized to 1.1 x the frame size, randomly cropped and flipped (FNAC's 246 -> 224
# recipe at 112); evaluation the centre frame with the sounding object's box (cIoU, AUC).

# The data set, generated on first use into data_root, and the files it holds.
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
# Log-mel mean / std of the training audio (LoadAudioWindow reads each item's stats.json).
audio_stats_file = f'{data_root}/stats.json'
boxes_file = 'boxes.json'  # sounding-object boxes (localization configs)

frame_size = 112
train_resize = 123  # round(1.1 * frame_size)
asl_duration = 3.0

_pack = dict(type='PackAVInputs', with_audio=False, extra_keys=('asl_audio',))
fnac_train_pipeline = [
    dict(type='AVDecordInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=1),
    dict(type='AVDecordDecode'),
    dict(type='LoadLocalizerAudio', duration=asl_duration),
    dict(type='Resize', scale=(train_resize, train_resize), keep_ratio=False),
    dict(type='RandomCrop', size=frame_size),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCHW'),
    _pack,
]
fnac_test_pipeline = [
    dict(type='AVDecordInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=1, test_mode=True),
    dict(type='AVDecordDecode'),
    dict(type='LoadLocalizerAudio', duration=asl_duration),
    dict(type='Resize', scale=(frame_size, frame_size), keep_ratio=False),
    dict(type='LoadSoundingBox', boxes_file=boxes_file),
    dict(type='FormatShape', input_format='NCHW'),
    dict(
        _pack,
        meta_keys=('filename', 'img_shape', 'frame_inds', 'gt_bboxes', 'box_frame_index'),
    ),
]

fnac_dataset = dict(type=dataset_type, data_root=data_root, generator_cfg=generator_cfg)
# Self-supervised: the whole train split, labels unused.
train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(ann_file=ann_file_train, pipeline=fnac_train_pipeline, **fnac_dataset),
)
val_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        ann_file=ann_file_val,
        pipeline=fnac_test_pipeline,
        test_mode=True,
        **fnac_dataset,
    ),
)
test_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        ann_file=ann_file_test,
        pipeline=fnac_test_pipeline,
        test_mode=True,
        **fnac_dataset,
    ),
)
val_evaluator = dict(type='LocalizationMetric', upsample_mode='bilinear')
test_evaluator = val_evaluator
