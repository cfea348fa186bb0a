# avssl_tiny_synthav_5shot_tube_contrast_auxsum_w2.py (V+A+Tube+C at 5 shots with the late-fusion
# heads and the unlabeled and mix losses at weight 2) with the video classifier's logits at half
# weight in the late-fusion sum (UnimodalAuxHead.modality_weights), chosen on 5-shot val for
# every row (docs/reproduction.md, "The video classifier at half weight"). Written on the 1-shot
# config (two levels of bases at most), so it restates the 5-shot lists, warm-up, weights and
# heads.
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
            type='UnimodalAuxHead',
            video_dims=96,
            audio_dims=96,
            loss_weight=1.0,
            fuse_weight=1.0,
            modality_weights=dict(video=0.5),
        )
    ),
)
