# V+A+Tube+C (Table 2), ViT-B, UCF-51, 1 label per class: V+A+Tube plus the
# visual-audio contrastive loss.
_base_ = [
    '_base_/default_runtime.py',
    '_base_/models/avssl_vitb.py',
    '_base_/datasets/ucf51_semi_224.py',
    '_base_/schedules/sgd_svformer.py',
]

model = dict(
    network=dict(cls_head=dict(num_classes=51)),
    threshold_cfg=dict(type='FlexMatchThreshold'),  # tau = 0.3 (the class default)
    mix_cfg=dict(type='TubeTokenMix'),  # lambda ~ Beta(10, 10) (the class defaults alpha, beta)
    contrast_cfg=dict(type='AVContrastiveLoss', video_dims=768, audio_dims=768, temperature=0.07),
    gamma1=2.0,  # weight of the unlabeled loss
    gamma2=2.0,  # weight of the mix loss
    gamma3=0.1,  # weight of the contrastive loss
)
optim_wrapper = dict(optimizer=dict(weight_decay=1e-3))  # docs/method.md section 7
custom_hooks = [
    dict(type='RandomStateHook'),
    dict(type='EMATeacherHook', decay=0.99),  # teacher = EMA of the student, per optimizer step
    dict(type='ThresholdHook'),
]

# 50 epochs x ceil(4,849 unlabeled / 320 per optimizer step) = 16 steps x 32 iterations
# (about 4.9K train clips of split 1, docs/method.md s. 1).
max_iters = 25600
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
