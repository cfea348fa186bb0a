# the method at 5 shots in the recipe of the best like-for-like row (late-fusion heads, unlabeled
# and mix weights 2, the long-schedule localizer: avssl_tiny_synthav_5shot_auxsum_w2_loclong.py)
# trained on ORACLE pseudo-labels: a diagnostic upper bound, not a result. One change: the
# unlabeled and mix losses use the unlabeled clips' true labels (one-hot, every one passes) in
# place of the teacher's guesses (AVSemiRecognizer pseudo_labels='oracle'). Its gap to
# labeled-only AV +auxsum is the most any pseudo-labelling can gain in this recipe
# (docs/reproduction.md, "The ceiling of the 5-shot recipe"). Written on the 1-shot config (two
# levels of bases at most), so it restates the recipe.
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
    pseudo_labels='oracle',
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
