# avssl_tiny_synthav_1shot_tube_auxsum_mdrop.py (V+A+Tube, 1 shot, late-fusion heads, modality
# dropout 0.5) with the teacher's pseudo-labels gated by its own audio classifier (ModalityGate,
# classes at least at chance), as the method's avssl_tiny_synthav_1shot_auxsum_mdrop_gate.py:
# Table 2's rows without the contrastive loss in the gated 1-shot recipe. Written on the 1-shot
# config (two levels of bases at most), so it restates the heads and the dropout.
_base_ = ['../avssl_tiny_synthav_1shot_tube.py']

model = dict(
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        ),
        modality_dropout=0.5,
    ),
    pseudo_label_gate_cfg=dict(type='ModalityGate', modality='audio'),
)
