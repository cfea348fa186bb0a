# Fig. 5 sweep, tiny SynthAV twin: maps averaged over 4 adjacent frames (default 1).
_base_ = ['../avssl_tiny_synthav_1shot.py']

model = dict(mix_cfg=dict(average_frames=4))
