# The paper's method (V+A+ASL+C), tiny, SynthAV, 1 label per class: the audio-visual network,
# the ASL-guided token mix (lambda ~ Beta(5, 10), frame-wise masks drawn from the frozen FNAC's
# maps) with audio mixup, the visual-audio contrastive loss (gamma3 = 0.1), FlexMatch (tau 0.3).
# Needs the localizer: python tools/train.py configs/fnac_r18_synthav_short.py
_base_ = ['./svformer_tiny_synthav_1shot_flex.py', '_base_/models/avssl_tiny_network.py']

model = dict(
    network={{_base_.avssl_tiny_network}},
    mix_cfg=dict(type='ASLGuidedMix', _delete_=True),
    localizer={{_base_.avssl_tiny_localizer}},
    contrast_cfg={{_base_.avssl_tiny_contrast_cfg}},
    gamma3=0.1,
)
