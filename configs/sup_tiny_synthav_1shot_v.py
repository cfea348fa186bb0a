# Labeled-only lower bound of SVFormer: the same video network, trained on the 10 labeled
# clips of SynthAV's 1-shot split alone, for as many iterations.
_base_ = [
    '_base_/default_runtime.py',
    '_base_/models/av_tiny.py',
    '_base_/datasets/synthav_sup_112.py',
    '_base_/schedules/adamw_400it.py',
]

model = dict(audio_backbone=None, cls_head=dict(in_channels=96))
train_dataloader = dict(dataset=dict(ann_file='train_labeled_1shot.txt'))
default_hooks = dict(checkpoint=dict(interval=200, save_best='acc/top1', rule='greater'))
