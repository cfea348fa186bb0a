# Fig. 4 at 5 shots, the FlexMatch curve: the method with the heads at weight 2
# (avssl_tiny_synthav_5shot_auxsum_w2.py) with FlexMatch's base threshold tau 0.7 in place of
# 0.3 (the warm-up normaliser kept, as in the method). Written on the 1-shot config (two levels
# of bases at most), so it restates the 5-shot lists, warm-up, weights and heads;
# tests/test_protocol.py checks that only tau differs.
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
    threshold_cfg=dict(tau=0.7),
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        )
    ),
)
