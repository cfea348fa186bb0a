# From-scratch twin of labeled_tiny_synthav_5shot_av_auxsum.py (labeled-only AV at 5 shots with
# the late-fusion heads): randomly initialised video and audio encoders instead of the
# SynthAV-pretrained ones. Written on the 1-shot config (two levels of bases at most), so it
# restates the 5-shot list and the heads.
_base_ = ['../labeled_tiny_synthav_1shot_av.py']

train_dataloader = dict(dataset=dict(labeled=dict(ann_file='train_labeled_5shot.txt')))

model = dict(
    network=dict(
        backbone=dict(pretrained=None),
        audio_backbone=dict(pretrained=None),
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        ),
    )
)
