# Diagnostic: avssl_tiny_synthav_1shot_tube_contrast_auxsum.py with the ASL mix's lambda
# distribution, Beta(5, 10) (mean 1/3), instead of the tube mix's Beta(10, 10) (mean 1/2).
# Beside V+A+Tube+C +auxsum and the method +auxsum it tells how much of the gap between the
# two is the share of clip A kept rather than where it is kept.
_base_ = ['../avssl_tiny_synthav_1shot_tube_contrast.py']

model = dict(
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        )
    ),
    mix_cfg=dict(alpha=5.0, beta=10.0),
)
