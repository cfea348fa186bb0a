# SVFormer-Flex (FlexMatch thresholds), tiny, SynthAV, 1 label per class: the baseline in the
# method's protocol (CPU, minutes).
_base_ = [
    '_base_/default_runtime.py',
    '_base_/models/svformer_tiny.py',
    '_base_/datasets/synthav_semi_112.py',
    '_base_/schedules/adamw_400it.py',
]

model = dict(
    threshold_cfg=dict(type='FlexMatchThreshold'),  # tau = 0.3 (the class default)
    mix_cfg=dict(type='TubeTokenMix'),  # lambda ~ Beta(10, 10) (the class defaults alpha, beta)
    gamma1=2.0,  # weight of the unlabeled loss
    gamma2=2.0,  # weight of the mix loss
)
custom_hooks = [
    dict(type='RandomStateHook'),
    dict(type='EMATeacherHook', decay=0.99),  # teacher = EMA of the student
    dict(type='ThresholdHook'),
]
default_hooks = dict(checkpoint=dict(interval=200, save_best='acc/top1', rule='greater'))
