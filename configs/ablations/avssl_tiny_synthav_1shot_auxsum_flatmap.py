# Diagnostic: avssl_tiny_synthav_1shot_auxsum.py with the localizer's map flattened. A floor of
# 1e6 added to the [0, 1] map makes every token position equally likely, so the mask is a
# uniform random draw of round(lambda N) positions per frame: the same lambda ~ Beta(5, 10),
# per-frame masks, audio mixup and losses as the method, without the sounding region. It tells
# whether the map itself helps.
_base_ = ['../avssl_tiny_synthav_1shot.py']

model = dict(
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        )
    ),
    mix_cfg=dict(floor=1e6),
)
