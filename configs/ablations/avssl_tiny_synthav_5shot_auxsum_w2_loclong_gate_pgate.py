# avssl_tiny_synthav_5shot_auxsum_w2_loclong_gate.py (the method at 5 shots with audio-gated
# pseudo-labels) predicting through the same gate (network.predict_gate_cfg): training is
# unchanged, so the row's checkpoints test with this config (docs/reproduction.md, "The gate in
# every row's prediction"). Written on the 1-shot config (two levels of bases at most), so it
# restates the 5-shot settings.
_base_ = ['../avssl_tiny_synthav_1shot.py']

train_dataloader = dict(
    dataset=dict(
        labeled=dict(ann_file='train_labeled_5shot.txt'),
        unlabeled=dict(ann_file='train_unlabeled_5shot.txt'),
    )
)
model = dict(
    unsup_start_iter=200,
    pseudo_label_gate_cfg=dict(type='ModalityGate', modality='audio'),
    gamma1=2.0,
    gamma2=2.0,
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        ),
        predict_gate_cfg=dict(type='ModalityGate', modality='audio'),
    ),
    localizer=dict(
        map_sigma=1.0,
        checkpoint='checkpoints/synthav_pretrained/fnac_r18_w025_synthav.pth',
        config='configs/fnac_r18_synthav.py',
    ),
)
