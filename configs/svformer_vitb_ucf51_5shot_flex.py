# SVFormer-Flex (FlexMatch thresholds), ViT-B, UCF-51, 5 labels per class (255 labeled clips).
_base_ = [
    '_base_/default_runtime.py',
    '_base_/models/svformer_vitb.py',
    '_base_/datasets/ucf51_semi_224.py',
    '_base_/schedules/sgd_svformer.py',
]

model = dict(
    network=dict(cls_head=dict(num_classes=51)),
    threshold_cfg=dict(type='FlexMatchThreshold'),  # tau = 0.3 (the class default)
    mix_cfg=dict(type='TubeTokenMix'),  # lambda ~ Beta(10, 10) (the class defaults alpha, beta)
    gamma1=2.0,  # weight of the unlabeled loss
    gamma2=2.0,  # weight of the mix loss
)
custom_hooks = [
    dict(type='RandomStateHook'),
    dict(type='EMATeacherHook', decay=0.99),  # teacher = EMA of the student, per optimizer step
    dict(type='ThresholdHook'),
]
train_dataloader = dict(
    dataset=dict(
        labeled=dict(ann_file='train_labeled_5shot.txt'),
        unlabeled=dict(ann_file='train_unlabeled_5shot.txt'),
    )
)

# 50 epochs x ceil(4,645 unlabeled / 320 per optimizer step) = 15 steps x 32 iterations
# (about 4.9K train clips of split 1, docs/method.md s. 1).
max_iters = 24000
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
default_hooks = dict(
    checkpoint=dict(
        interval=max_iters // 10, save_best='acc/top1', rule='greater', max_keep_ckpts=2
    )
)
