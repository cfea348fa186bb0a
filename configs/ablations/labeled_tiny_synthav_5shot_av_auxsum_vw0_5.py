# labeled_tiny_synthav_5shot_av_auxsum.py (labeled-only AV at 5 shots with the late-fusion heads)
# with the video classifier's logits at half weight in the late-fusion sum
# (UnimodalAuxHead.modality_weights), the candidate of avssl_tiny_synthav_5shot_auxsum_w2_loclong
# _vw0_5.py for every row. Written on the 1-shot config (two levels of bases at most), so it
# restates the 5-shot list and the heads.
_base_ = ['../labeled_tiny_synthav_1shot_av.py']

train_dataloader = dict(dataset=dict(labeled=dict(ann_file='train_labeled_5shot.txt')))

model = dict(
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead',
            video_dims=96,
            audio_dims=96,
            loss_weight=1.0,
            fuse_weight=1.0,
            modality_weights=dict(video=0.5),
        )
    )
)
