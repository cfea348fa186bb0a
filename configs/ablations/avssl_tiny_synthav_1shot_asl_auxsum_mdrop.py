# avssl_tiny_synthav_1shot_asl_auxsum.py (V+A+ASL, 1 shot, late-fusion heads) with modality
# dropout 0.5: in training each clip the student classifies loses its frames or its audio with
# probability 0.5 (AVRecognizer.modality_dropout); the EMA teacher and testing see both. Chosen on
# val for every 1-shot audio-visual row with the heads (docs/reproduction.md, "Modality dropout").
# Written on the 1-shot config (two levels of bases at most), so it restates the heads.
_base_ = ['../avssl_tiny_synthav_1shot_asl.py']

model = dict(
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        ),
        modality_dropout=0.5,
    )
)
