# SVFormer, tiny, on SynthAV 1-shot (CPU, minutes): the baseline in the method's protocol.
_base_ = [
    '../default_runtime.py',
    '../models/svformer_tiny.py',
    '../datasets/synthav_semi_112.py',
]

model = dict(network=dict(cls_head=dict(num_classes={{_base_.num_classes}})))

custom_hooks = [
    dict(type='RandomStateHook'),
    dict(type='EMATeacherHook', decay=0.99),
    dict(type='ThresholdHook'),
]
val_evaluator = dict(type='SemiAccMetric')  # teacher and student side by side
test_evaluator = val_evaluator

max_iters = 400
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=200)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=5e-4, weight_decay=0.05),
    paramwise_cfg=dict(
        custom_keys={
            '.cls_token': dict(decay_mult=0.0),
            '.pos_embed': dict(decay_mult=0.0),
            '.time_embed': dict(decay_mult=0.0),
        }
    ),
    clip_grad=dict(max_norm=40, norm_type=2),
)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=40),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=40, end=max_iters, eta_min=1e-5),
]
default_hooks = dict(
    checkpoint=dict(interval=200, save_best='acc/top1', rule='greater'),
)
