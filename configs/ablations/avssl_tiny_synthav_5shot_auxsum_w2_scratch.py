# From-scratch twin of avssl_tiny_synthav_5shot_auxsum_w2.py (the method, V+A+ASL+C, at 5 shots
# with the late-fusion heads and weight 2): randomly initialised video and audio encoders instead
# of the SynthAV-pretrained ones, everything else the row's (the frozen localizer included).
# Written on the 1-shot config (two levels of bases at most), so it restates the 5-shot lists,
# warm-up, weights and heads.
_base_ = ['../avssl_tiny_synthav_1shot.py']

train_dataloader = dict(
    dataset=dict(
        labeled=dict(ann_file='train_labeled_5shot.txt'),
        unlabeled=dict(ann_file='train_unlabeled_5shot.txt'),
    )
)
model = dict(
    unsup_start_iter=200,
    gamma1=2.0,
    gamma2=2.0,
    network=dict(
        backbone=dict(pretrained=None),
        audio_backbone=dict(pretrained=None),
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        ),
    ),
)
