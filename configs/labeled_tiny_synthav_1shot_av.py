# Labeled-only lower bound of the audio-visual method (Table 2's labeled-only V+A row), tiny,
# SynthAV, 1 label per class, in the semi-supervised rows' protocol (docs/reproduction.md): the
# method's network (video and audio encoders, pretrained; one fusion layer), recipe and
# schedule, 2 labeled clips per batch for 400 iterations, the EMA teacher reported, no
# unlabeled clips.
_base_ = ['./avssl_tiny_synthav_1shot_tube.py']

train_dataloader = dict(batch_size=2, sampler=dict(batch_size=2, source_ratio=[1, 0]))
