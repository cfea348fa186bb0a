# avssl_tiny_synthav_5shot_tube_contrast_auxsum_w2.py (V+A+Tube+C, 5 shots, late-fusion heads,
# unlabeled weight 2) with distribution alignment of the teacher's probabilities before they
# become pseudo-labels (DistributionAlignment: rescaled by the uniform marginal over a running
# average of the teacher's predictions, momentum 0.99, a horizon of about 100 batches). A
# candidate for every semi-supervised row, chosen on val (docs/reproduction.md, "Distribution
# alignment"). Written on the 1-shot config (two levels of bases at most), so it restates the
# 5-shot settings.
_base_ = ['../avssl_tiny_synthav_1shot_tube_contrast.py']

train_dataloader = dict(
    dataset=dict(
        labeled=dict(ann_file='train_labeled_5shot.txt'),
        unlabeled=dict(ann_file='train_unlabeled_5shot.txt'),
    )
)
model = dict(
    unsup_start_iter=200,
    dist_align_cfg=dict(type='DistributionAlignment', momentum=0.99),
    gamma1=2.0,
    gamma2=2.0,
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        )
    ),
)
