# V+A+ASL at 5 shots with the heads and weight 2 (avssl_tiny_synthav_5shot_asl_auxsum_w2.py) with
# the long-schedule localizer, as avssl_tiny_synthav_5shot_auxsum_w2_loclong.py: the FNAC of
# configs/fnac_r18_synthav.py, chosen on its own validation cIoU@0.5 (test 0.843 against the
# short schedule's 0.387), maps blurred by one grid cell as in its training. Written on the
# 1-shot config (two levels of bases at most), so it restates the 5-shot lists, warm-up,
# weights and heads.
_base_ = ['../avssl_tiny_synthav_1shot_asl.py']

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
    localizer=dict(
        map_sigma=1.0,
        checkpoint='checkpoints/synthav_pretrained/fnac_r18_w025_synthav.pth',
        config='configs/fnac_r18_synthav.py',
    ),
)
