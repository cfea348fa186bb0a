# Diagnostic: avssl_tiny_synthav_5shot_auxsum_w2.py (the method at 5 shots, heads, weight 2) with
# the localizer's map flattened, as avssl_tiny_synthav_1shot_auxsum_flatmap.py: a floor of 1e6
# added to the [0, 1] map makes every token position equally likely, so the mask is a uniform
# draw of round(lambda N) positions per frame with the method's Beta(5, 10) lambda. Beside the
# method it tells whether following the map helps, and whether the method's seed spread comes
# from the map. Written on the 1-shot config (two levels of bases at most), so it restates the
# 5-shot lists, warm-up, weights and heads.
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
    mix_cfg=dict(floor=1e6),
)
