# Modality check: the audio-visual model without its video branch, same data and schedule.
_base_ = ['./sup_tiny_synthav_full_av.py']

model = dict(backbone=None, cls_head=dict(in_channels=96))
