# SVFormer-Flex, ViT-B, VGGSound, 1 label per class (309 labeled clips).
_base_ = ['_base_/recipes/svformer_vitb.py', '_base_/datasets/vggsound_semi_224.py']

# 50 epochs x ceil(183,421 unlabeled / 320 per optimizer step) = 574 steps x 32 iterations
# (183,730 train clips, docs/method.md s. 1).
max_iters = 918400
model = dict(
    network=dict(cls_head=dict(num_classes={{_base_.num_classes}})),
    threshold_cfg=dict(type='FlexMatchThreshold'),
)
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters // 10)
param_scheduler = [
    dict(
        type='MultiStepLR',
        by_epoch=False,
        begin=0,
        end=max_iters,
        milestones=[int(0.83 * max_iters), int(0.93 * max_iters)],
        gamma=0.1,
    )
]
default_hooks = dict(checkpoint=dict(interval=max_iters // 10))
