# Late-fusion ensemble at 5 shots: labeled_tiny_synthav_5shot_av.py (the labeled-only AV lower
# bound, 50 labeled clips) with the unimodal classifiers of labeled_tiny_synthav_1shot_av_auxsum.py,
# whose logits are added to the fused head's. Written on the 1-shot config (two levels of bases
# at most), so it restates the 5-shot list.
_base_ = ['../labeled_tiny_synthav_1shot_av.py']

train_dataloader = dict(dataset=dict(labeled=dict(ann_file='train_labeled_5shot.txt')))

model = dict(
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        )
    )
)
