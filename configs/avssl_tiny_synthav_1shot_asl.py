# V+A+ASL (the method without the contrastive loss), tiny, SynthAV, 1 label per class.
# Needs the localizer: python tools/train.py configs/fnac_r18_synthav_short.py
_base_ = ['./svformer_tiny_synthav_1shot_flex.py', '_base_/models/avssl_tiny_network.py']

model = dict(
    network={{_base_.avssl_tiny_network}},
    mix_cfg=dict(type='ASLGuidedMix', _delete_=True),
    localizer={{_base_.avssl_tiny_localizer}},
)
