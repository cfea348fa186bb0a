# The method at 1 label per class with the 5-shot recipe unchanged
# (avssl_tiny_synthav_5shot_auxsum_w2_loclong.py: late-fusion heads, unlabeled and mix losses at
# weight 2, warm-up 200, the long-schedule localizer), for the label-budget curve
# (docs/reproduction.md): avssl_tiny_synthav_1shot_auxsum_loclong.py with the unlabeled losses
# from iteration 200 instead of 50 (the 1-shot configs already weigh them 2). Written on the
# 1-shot config (two levels of bases at most), so it restates the heads and the localizer.
_base_ = ['../avssl_tiny_synthav_1shot.py']

model = dict(
    unsup_start_iter=200,
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        )
    ),
    localizer=dict(
        map_sigma=1.0,
        checkpoint='checkpoints/synthav_pretrained/fnac_r18_w025_synthav.pth',
        config='configs/fnac_r18_synthav.py',
    ),
)
