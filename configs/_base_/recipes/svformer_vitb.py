# SVFormer's optimisation (docs/method.md section 7): SGD, momentum 0.9, Nesterov, lr 0.005 for an
# effective batch of 64 labeled + 320 unlabeled clips, weight decay 1e-4, lr x0.1 at 83% and 93%
# of training, EMA decay 0.99 per optimizer step, 50 epochs of the unlabeled set.
# Written for `tools/dist_train.sh CONFIG 2`: 2 processes x (1 + 5) clips x 32 accumulated
# iterations = 64 + 320 clips per optimizer step. With P processes set
# `optim_wrapper.accumulative_counts` to 64 / P.
# Schedules are in iterations: max_iters = 50 x ceil(N_unlabeled / 320) x 32 (set per config).
_base_ = ['../default_runtime.py', '../models/svformer_vitb.py']

accumulative_counts = 32
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.005, momentum=0.9, nesterov=True, weight_decay=1e-4),
    accumulative_counts=accumulative_counts,
    paramwise_cfg=dict(
        custom_keys={
            '.cls_token': dict(decay_mult=0.0),
            '.pos_embed': dict(decay_mult=0.0),
            '.time_embed': dict(decay_mult=0.0),
        }
    ),
    clip_grad=dict(max_norm=40, norm_type=2),
)
custom_hooks = [
    dict(type='RandomStateHook'),
    dict(type='EMATeacherHook', decay=0.99),
    dict(type='ThresholdHook'),
]
val_evaluator = dict(type='SemiAccMetric')
test_evaluator = val_evaluator
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    checkpoint=dict(save_best='acc/top1', rule='greater', max_keep_ckpts=2),
)
