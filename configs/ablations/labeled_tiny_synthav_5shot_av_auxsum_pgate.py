# labeled_tiny_synthav_5shot_av_auxsum.py (labeled-only AV at 5 shots with the late-fusion heads)
# predicting through the audio gate (AVRecognizer predict_gate_cfg, ModalityGate): at test time
# the classes its own audio classifier rates below chance get no score. Training is unchanged, so
# a checkpoint of the row tests with this config as it would with the gate (docs/reproduction.md,
# "The gate in every row's prediction"). Written on the 1-shot config (two levels of bases at
# most), so it restates the 5-shot list and the heads.
_base_ = ['../labeled_tiny_synthav_1shot_av.py']

train_dataloader = dict(dataset=dict(labeled=dict(ann_file='train_labeled_5shot.txt')))

model = dict(
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        ),
        predict_gate_cfg=dict(type='ModalityGate', modality='audio'),
    )
)
