# Fig. 4 threshold sweep, tiny SynthAV twin: FlexMatch base threshold 0.1 (default 0.3).
_base_ = ['../avssl_tiny_synthav_1shot.py']

model = dict(threshold_cfg=dict(tau=0.1))
