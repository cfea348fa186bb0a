# Late-fusion ensemble: avssl_tiny_synthav_1shot.py with a linear classifier on each encoder's class token
# trained on the labels (as avssl_tiny_synthav_1shot_aux.py), whose logits are also added to the fused
# head's wherever the network classifies: losses, pseudo-labels, mix targets and prediction.
_base_ = ['../avssl_tiny_synthav_1shot.py']

model = dict(
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        )
    )
)
