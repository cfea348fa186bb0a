# V+A+Tube+C, tiny, SynthAV, 1 label per class: V+A+Tube plus the visual-audio contrastive
# loss (temperature 0.07, gamma3 = 0.1).
_base_ = ['./svformer_tiny_synthav_1shot_flex.py', '_base_/models/avssl_tiny_network.py']

model = dict(
    network={{_base_.avssl_tiny_network}},
    contrast_cfg={{_base_.avssl_tiny_contrast_cfg}},
    gamma3=0.1,
)
