# Fig. 5 sweep at 5 shots with the late-fusion heads: the method +auxsum at weight 2
# (avssl_tiny_synthav_5shot_auxsum_w2.py, the 5-shot setting chosen on val) with the localizer's
# maps averaged over 8 adjacent frames before the ASL mask is drawn (default 1). Written on the
# 1-shot config (two levels of bases at most), so it restates the 5-shot lists, warm-up,
# unlabeled weights and heads.
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
    mix_cfg=dict(average_frames=8),
)
