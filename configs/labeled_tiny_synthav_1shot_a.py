# Labeled-only lower bound, audio only, tiny, SynthAV, 1 label per class, in the semi-supervised
# rows' protocol (docs/reproduction.md): the method's audio encoder (pretrained) and fusion
# layer without the video encoder, 2 labeled clips per batch for 400 iterations, the EMA
# teacher reported, no unlabeled clips.
_base_ = ['./avssl_tiny_synthav_1shot_tube.py']

model = dict(network=dict(backbone=None))
train_dataloader = dict(batch_size=2, sampler=dict(batch_size=2, source_ratio=[1, 0]))
