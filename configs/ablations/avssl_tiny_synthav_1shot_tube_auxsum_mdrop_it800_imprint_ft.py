# V+A+Tube, 1 shot, in the setting chosen on the 1-shot val rule for the three rows put to it
# (labeled-only AV, V+A+Tube+C and the method; docs/reproduction.md, "The imprinted cosine
# classifier"): the same changes to this row's 1-shot config as the method's
# avssl_tiny_synthav_1shot_auxsum_mdrop_it800_imprint_ft.py makes to its own, which
# tests/test_protocol.py checks key by key:
# - Both encoders are fine-tuned; modality dropout 0.5; 800 iterations.
# - The fusion is SourceConcatFusion (no parameters): the audio class token and the video
#   tokens at the frozen localizer's top 10% patches, each L2-normalised, side by side. The
#   localizer is the long-schedule FNAC of every row.
# - The class head is CosineHead (10 x cosine); PrototypeImprintHook sets its weights at the
#   start of the run to the labeled clips' class means (val pipeline).
# - The unimodal heads keep their losses but leave the prediction (fuse_weight 0).
# - No pseudo-label gate: the teacher's argmax is the pseudo-label.
_base_ = ['../avssl_tiny_synthav_1shot_tube.py']

model = dict(
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=0.0
        ),
        modality_dropout=0.5,
        # Both backbones return all their tokens; the fusion reads the audio class token and
        # the video tokens where the localizer hears the sound, normalised, side by side.
        backbone=dict(output='tokens'),
        audio_backbone=dict(output='tokens'),
        neck=dict(
            _delete_=True,
            type='SourceConcatFusion',
            num_frames=8,
            video_dims=96,
            audio_dims=96,
            top_fraction=0.1,
        ),
        cls_head=dict(
            _delete_=True,
            type='CosineHead',
            num_classes=10,
            in_channels=192,
            scale=10.0,
            average_clips='prob',
        ),
    ),
    # The frozen localizer of every row (and of the ASL mix where a row has it): the long
    # schedule, trained on its own unlabeled clips (data/synthav_loc), none of the target's
    # labeled, unlabeled, val or test clips.
    localizer=_base_.avssl_tiny_localizer_long,
)
train_cfg = dict(max_iters=800)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=40),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=40, end=800, eta_min=1e-5),
]

# Every clip the fusion sees needs the localizer's raw audio: LoadLocalizerAudio after the
# loading steps of the labeled, weak, val and test pipelines (the strong one has it).
_loc = [dict(type='LoadLocalizerAudio', duration=3.0)]
_labeled = _base_.train_pipeline[:4] + _loc + _base_.train_pipeline[4:]
_unlabeled = _base_.semi_unlabeled_pipeline[0]
_weak = _unlabeled['weak'][:4] + _loc + _unlabeled['weak'][4:]
train_dataloader = dict(
    dataset=dict(
        labeled=dict(pipeline=[dict(_base_.semi_labeled_pipeline[0], labeled=_labeled)]),
        unlabeled=dict(pipeline=[dict(_unlabeled, weak=_weak)]),
    )
)
val_dataloader = dict(
    dataset=dict(pipeline=_base_.val_pipeline[:4] + _loc + _base_.val_pipeline[4:])
)
test_dataloader = dict(
    dataset=dict(pipeline=_base_.test_pipeline[:4] + _loc + _base_.test_pipeline[4:])
)

custom_hooks = [
    dict(type='RandomStateHook'),
    # The cosine head's weights: the class means of the labeled clips' features, at iteration 0.
    dict(type='PrototypeImprintHook'),
    dict(type='EMATeacherHook', decay=0.99),  # teacher = EMA of the student
    dict(type='ThresholdHook'),
]
