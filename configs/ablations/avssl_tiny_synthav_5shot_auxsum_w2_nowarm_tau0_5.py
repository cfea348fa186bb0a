# FlexMatch tau sweep at 5 shots, without the warm-up normaliser: the method with the heads at
# weight 2 (avssl_tiny_synthav_5shot_auxsum_w2.py) with beta_c = sigma_c / max sigma (FlexMatch's
# variant without threshold warm-up) and base threshold 0.5. With the warm-up normaliser FlexMatch
# passes 97-100% of these teachers' clips at every tau (docs/reproduction.md, Fig. 4); without it
# the class thresholds can reach tau. Written on the 1-shot config (two levels of bases at most),
# so it restates the 5-shot lists, warm-up, weights and heads.
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
    threshold_cfg=dict(tau=0.5, warmup=False),
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        )
    ),
)
