# Modality check: the audio-visual model without its audio branch, same data and schedule.
_base_ = ['./sup_tiny_synthav_full_av.py']

model = dict(audio_backbone=None, cls_head=dict(in_channels=96))
