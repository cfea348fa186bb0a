# Labeled-only, audio only: the method's tiny audio encoder and fusion layer (fusing the audio
# class token alone) trained on the 10 labeled clips of SynthAV's 1-shot split: the audio-visual
# labeled-only config (sup_tiny_synthav_1shot_av.py) without the video encoder.
_base_ = ['./sup_tiny_synthav_1shot_av.py']

model = dict(backbone=None)
