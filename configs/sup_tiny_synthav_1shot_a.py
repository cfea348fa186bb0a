# Labeled-only, audio only: the method's tiny audio encoder and fusion layer (fusing the audio
# class token alone) trained on the 10 labeled clips of SynthAV's 1-shot split.
# Same schedule as sup_tiny_synthav_1shot_v.py.
_base_ = ['_base_/recipes/sup_tiny_synthav_av.py', '_base_/models/avssl_tiny_network.py']

model = dict(
    backbone=None,
    neck={{_base_.avssl_tiny_network.neck}},
    cls_head=dict(in_channels=96),
)
train_dataloader = dict(dataset=dict(ann_file={{_base_.ann_file_labeled_1shot}}))
max_iters = 400
train_cfg = dict(max_iters=max_iters, val_interval=200)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=40),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=40, end=max_iters, eta_min=1e-5),
]
default_hooks = dict(checkpoint=dict(interval=200))
