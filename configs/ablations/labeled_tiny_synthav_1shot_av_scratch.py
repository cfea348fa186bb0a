# From-scratch ablation: the same run with randomly initialised encoders instead of the
# SynthAV-pretrained ones (the recipe the tiny configs used before docs/pretraining.md).
_base_ = ['../labeled_tiny_synthav_1shot_av.py']

model = dict(network=dict(backbone=dict(pretrained=None), audio_backbone=dict(pretrained=None)))
