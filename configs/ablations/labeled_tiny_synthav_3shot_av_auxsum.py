# Labeled-only AV with the late-fusion heads at 3 labels per class: the 5-shot row
# (labeled_tiny_synthav_5shot_av_auxsum.py) on the 3-shot list, for the label-budget curve
# (docs/reproduction.md). Written on the 1-shot config (two levels of bases at most), so it
# restates the heads.
_base_ = ['../labeled_tiny_synthav_1shot_av.py']

train_dataloader = dict(dataset=dict(labeled=dict(ann_file='train_labeled_3shot.txt')))

model = dict(
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        )
    )
)
