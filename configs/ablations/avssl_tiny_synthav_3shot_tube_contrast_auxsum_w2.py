# V+A+Tube+C at 3 labels per class with the 5-shot recipe unchanged
# (avssl_tiny_synthav_5shot_tube_contrast_auxsum_w2.py: late-fusion heads, unlabeled and mix
# losses at weight 2, warm-up 200), on the 3-shot lists, for the label-budget curve
# (docs/reproduction.md). Written on the 1-shot config (two levels of bases at most), so it
# restates the lists, warm-up, weights and heads.
_base_ = ['../avssl_tiny_synthav_1shot_tube_contrast.py']

train_dataloader = dict(
    dataset=dict(
        labeled=dict(ann_file='train_labeled_3shot.txt'),
        unlabeled=dict(ann_file='train_unlabeled_3shot.txt'),
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
