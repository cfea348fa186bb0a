# avssl_tiny_synthav_5shot_auxsum_w2_loclong.py (the method at 5 shots with the late-fusion
# heads, the unlabeled and mix losses at weight 2 and the long-schedule localizer) with the
# video classifier's logits at half weight in the late-fusion sum
# (UnimodalAuxHead.modality_weights): a frame cannot single out the sounding object, and the
# full-weight video classifier pulls the prediction off the family the audio classifier names
# (docs/reproduction.md, "What the teacher gets wrong"). A candidate for every row, tried on
# 5-shot val. Written on the 1-shot config (two levels of bases at most), so it restates the
# 5-shot lists, warm-up, weights, heads and localizer.
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
            type='UnimodalAuxHead',
            video_dims=96,
            audio_dims=96,
            loss_weight=1.0,
            fuse_weight=1.0,
            modality_weights=dict(video=0.5),
        )
    ),
    localizer=dict(
        map_sigma=1.0,
        checkpoint='checkpoints/synthav_pretrained/fnac_r18_w025_synthav.pth',
        config='configs/fnac_r18_synthav.py',
    ),
)
