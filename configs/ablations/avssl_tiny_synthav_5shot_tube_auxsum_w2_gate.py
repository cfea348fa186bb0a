# avssl_tiny_synthav_5shot_tube_auxsum_w2.py (V+A+Tube, 5 shots, late-fusion heads, unlabeled
# weight 2) with the teacher's pseudo-labels gated by its own audio classifier (ModalityGate,
# classes at least at chance), as the method's avssl_tiny_synthav_5shot_auxsum_w2_loclong_gate.py:
# Table 2's rows without the contrastive loss in the gated recipe. Written on the 1-shot config
# (two levels of bases at most), so it restates the 5-shot settings.
_base_ = ['../avssl_tiny_synthav_1shot_tube.py']

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
        )
    ),
)
