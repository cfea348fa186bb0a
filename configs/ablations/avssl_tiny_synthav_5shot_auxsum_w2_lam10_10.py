# Diagnostic: avssl_tiny_synthav_5shot_auxsum_w2.py (the method at 5 shots, heads, weight 2) with
# the tube mix's lambda distribution, Beta(10, 10) (mean 1/2), instead of the ASL mix's
# Beta(5, 10) (mean 1/3). With V+A+Tube+C +auxsum w2 and its Beta(5, 10) twin
# (avssl_tiny_synthav_5shot_tube_contrast_auxsum_w2_lam5_10.py) it completes the two-by-two of
# where the kept tokens are (tube, or drawn from the localizer's map) and how many (the two
# lambdas). Not the paper's setting and not chosen on val. Written on the 1-shot config (two
# levels of bases at most), so it restates the 5-shot lists, warm-up, weights and heads.
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
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        )
    ),
    mix_cfg=dict(alpha=10.0, beta=10.0),
)
