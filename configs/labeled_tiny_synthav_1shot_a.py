# Labeled-only lower bound, audio only, tiny, SynthAV, 1 label per class, in the semi-supervised
# rows' protocol (docs/reproduction.md): labeled_tiny_synthav_1shot_av.py without the video
# encoder (the method's audio encoder and fusion layer).
_base_ = ['./labeled_tiny_synthav_1shot_av.py']

model = dict(network=dict(backbone=None))
