# Diagnostic: avssl_tiny_synthav_5shot_tube_contrast_auxsum_w2.py (V+A+Tube+C at 5 shots, heads,
# weight 2) with the ASL mix's lambda distribution, Beta(5, 10) (mean 1/3), instead of the tube
# mix's Beta(10, 10), as avssl_tiny_synthav_1shot_tube_contrast_auxsum_lam5_10.py. Beside the
# flat-map diagnostic it splits the gap between the method and V+A+Tube+C into the share of
# clip A kept and the scattered per-frame tokens. Written on the 1-shot config (two levels of
# bases at most), so it restates the 5-shot lists, warm-up, weights and heads.
_base_ = ['../avssl_tiny_synthav_1shot_tube_contrast.py']

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
    mix_cfg=dict(alpha=5.0, beta=10.0),
)
