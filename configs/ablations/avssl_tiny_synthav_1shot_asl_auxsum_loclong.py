# avssl_tiny_synthav_1shot_asl.py with both the val-chosen unimodal auxiliary heads (logits summed, as
# avssl_tiny_synthav_1shot_asl_auxsum.py) and the long-schedule localizer (as avssl_tiny_synthav_1shot_asl_loclong.py).
_base_ = ['../avssl_tiny_synthav_1shot_asl.py']

model = dict(
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        )
    ),
    localizer=dict(
        map_sigma=1.0,
        checkpoint='checkpoints/synthav_pretrained/fnac_r18_w025_synthav.pth',
        config='configs/fnac_r18_synthav.py',
    ),
)
