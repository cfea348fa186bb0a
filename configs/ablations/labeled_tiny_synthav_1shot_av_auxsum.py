# Late-fusion ensemble: labeled_tiny_synthav_1shot_av.py with a linear classifier on each encoder's class token
# trained on the labels (as labeled_tiny_synthav_1shot_av_aux.py), whose logits are also added to the fused
# head's wherever the network classifies: losses, pseudo-labels, mix targets and prediction.
_base_ = ['../labeled_tiny_synthav_1shot_av.py']

model = dict(
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        )
    )
)
