# V+A+Tube at 5 shots with the late-fusion heads (avssl_tiny_synthav_5shot_tube_auxsum.py) and the
# unlabeled and mix losses at weight 2 (SVFormer's and the paper's), the weight chosen again on
# 5-shot val once the heads were in (docs/reproduction.md). Written on the 1-shot config (two
# levels of bases at most), so it restates the 5-shot lists, warm-up and heads.
_base_ = ['../avssl_tiny_synthav_1shot_tube.py']

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
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        )
    ),
)
