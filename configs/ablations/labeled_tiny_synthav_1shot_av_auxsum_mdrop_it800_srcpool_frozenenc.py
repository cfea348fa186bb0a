# Labeled-only AV, 1 shot, source pooling (labeled_tiny_synthav_1shot_av_auxsum_mdrop_it800_srcpool.py),
# with both encoders frozen: learning rate and weight decay 0 on student.backbone and
# student.audio_backbone; the fusion, the pooled token's projection and the heads still train.
# First run as a diagnostic, then the labeled-only row of the frozen-encoder candidate that
# 1-shot val chose (docs/reproduction.md, "Frozen encoders"). The twin, restated below, then
# the optimizer keys.
_base_ = ['../labeled_tiny_synthav_1shot_av.py']

model = dict(
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        ),
        modality_dropout=0.5,
        # The fusion with the sounding object's tokens (SourcePoolFusion): both backbones
        # return all their tokens, the class-token fusion is unchanged, and the video tokens of
        # the 10% of the patches of each frame where the frozen localizer hears the sound are
        # averaged, normalised, projected and added.
        backbone=dict(output='tokens'),
        audio_backbone=dict(output='tokens'),
        neck=dict(type='SourcePoolFusion', num_frames=8, top_fraction=0.1),
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

optim_wrapper = dict(
    paramwise_cfg=dict(
        custom_keys={
            'student.backbone': dict(lr_mult=0.0, decay_mult=0.0),
            'student.audio_backbone': dict(lr_mult=0.0, decay_mult=0.0),
        }
    )
)
