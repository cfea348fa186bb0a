# Unimodal auxiliary heads: avssl_tiny_synthav_1shot_tube.py with a linear classifier on each encoder's class
# token trained on the labels (weight 1), which keeps the 1-shot audio-visual network using
# its audio (docs/reproduction.md, "Which input decides"). The fused head alone predicts.
_base_ = ['../avssl_tiny_synthav_1shot_tube.py']

model = dict(
    network=dict(
        aux_head=dict(type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0)
    )
)
