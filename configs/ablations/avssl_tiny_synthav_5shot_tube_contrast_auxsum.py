# Late-fusion ensemble at 5 shots: V+A+Tube+C, avssl_tiny_synthav_5shot_tube_contrast.py, with a linear classifier on each
# encoder's class token trained on the labels, whose logits are added to the fused head's
# wherever the network classifies: losses, pseudo-labels, mix targets and prediction (the
# 1-shot *_auxsum.py setting). Written on the 1-shot config (two levels of bases at most), so it
# restates the 5-shot lists, warm-up and unlabeled weights.
_base_ = ['../avssl_tiny_synthav_1shot_tube_contrast.py']

train_dataloader = dict(
    dataset=dict(
        labeled=dict(ann_file='train_labeled_5shot.txt'),
        unlabeled=dict(ann_file='train_unlabeled_5shot.txt'),
    )
)
model = dict(
    unsup_start_iter=200,
    gamma1=0.5,
    gamma2=0.5,
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        )
    ),
)
