# Labeled-only lower bound of SVFormer: the same video network, trained on the 10 labeled
# clips of SynthAV's 1-shot split alone, for as many iterations.
_base_ = ['_base_/recipes/sup_tiny_synthav_av.py']

model = dict(audio_backbone=None, cls_head=dict(in_channels=96))
train_dataloader = dict(dataset=dict(ann_file={{_base_.ann_file_labeled_1shot}}))
max_iters = 400
train_cfg = dict(max_iters=max_iters, val_interval=200)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=40),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=40, end=max_iters, eta_min=1e-5),
]
default_hooks = dict(checkpoint=dict(interval=200))
