# Fig. 4 threshold sweep with the 1-shot protocol's late-fusion heads and modality dropout: the
# method (avssl_tiny_synthav_1shot_auxsum_mdrop.py) with FlexMatch's base threshold 0.95
# (default 0.3). Written on the 1-shot config (two levels of bases at most), so it restates the
# heads and the dropout; tests/test_protocol.py checks that only the threshold differs.
_base_ = ['../avssl_tiny_synthav_1shot.py']

model = dict(
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        ),
        modality_dropout=0.5,
    ),
    threshold_cfg=dict(tau=0.95),
)
