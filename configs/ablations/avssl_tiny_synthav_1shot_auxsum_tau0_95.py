# Fig. 4 threshold sweep with the late-fusion heads: the method +auxsum
# (avssl_tiny_synthav_1shot_auxsum.py) with FlexMatch base threshold 0.95 (default 0.3).
_base_ = ['../avssl_tiny_synthav_1shot.py']

model = dict(
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        )
    ),
    threshold_cfg=dict(tau=0.95),
)
