# Fig. 5 sweep: the method on UCF-51 1-shot with the localization maps averaged over 8
# adjacent frames before the mask is drawn (default 1 = a map per frame).
_base_ = ['../avssl_vitb_ucf51_1shot.py']

model = dict(mix_cfg=dict(average_frames=8))
