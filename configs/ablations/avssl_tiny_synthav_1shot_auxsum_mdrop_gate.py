# avssl_tiny_synthav_1shot_auxsum_mdrop.py (the method, V+A+ASL+C, 1 shot, late-fusion heads,
# modality dropout 0.5) with the teacher's pseudo-labels gated by its own audio classifier
# (ModalityGate: only the classes that classifier rates at least at chance, 1/C, can be a clip's
# pseudo-label). A candidate for every semi-supervised row, chosen on val (docs/reproduction.md,
# "Pseudo-labels gated by the audio classifier"). Written on the 1-shot config (two levels of
# bases at most), so it restates the heads and the dropout.
_base_ = ['../avssl_tiny_synthav_1shot.py']

model = dict(
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        ),
        modality_dropout=0.5,
    ),
    pseudo_label_gate_cfg=dict(type='ModalityGate', modality='audio'),
)
