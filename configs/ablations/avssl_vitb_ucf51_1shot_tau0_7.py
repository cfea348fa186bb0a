# Fig. 4 threshold sweep: the method on UCF-51 1-shot with FlexMatch base threshold 0.7
# (default 0.3 = configs/avssl_vitb_ucf51_1shot.py).
_base_ = ['../avssl_vitb_ucf51_1shot.py']

model = dict(threshold_cfg=dict(tau=0.7))
