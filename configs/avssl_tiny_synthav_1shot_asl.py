# V+A+ASL (the method without the contrastive loss), tiny, SynthAV, 1 label per class.
# Needs the localizer checkpoint (shipped; python tools/train.py configs/fnac_r18_synthav_short.py
# remakes it).
_base_ = [
    '_base_/default_runtime.py',
    '_base_/models/avssl_tiny.py',
    '_base_/datasets/synthav_semi_112.py',
    '_base_/schedules/adamw_400it.py',
]

model = dict(
    threshold_cfg=dict(type='FlexMatchThreshold'),  # tau = 0.3 (the class default)
    # Frame-wise token masks drawn from the frozen localizer's maps, audio mixed with the same
    # lambda and partner; lambda ~ Beta(5, 10) (the class defaults alpha, beta).
    mix_cfg=dict(type='ASLGuidedMix'),
    # The frozen FNAC that configs/fnac_r18_synthav_short.py trains, shipped in
    # checkpoints/synthav_pretrained/ and read at train start.
    localizer=dict(
        type='FNAC',
        embed_dim=128,
        tau=0.07,
        width_mult=0.25,
        visual_last_stride=1,
        input_size=(112, 112),
        checkpoint='checkpoints/synthav_pretrained/fnac_r18_w025_synthav_short.pth',
        config='configs/fnac_r18_synthav_short.py',
    ),
    gamma1=2.0,  # weight of the unlabeled loss
    gamma2=2.0,  # weight of the mix loss
)
custom_hooks = [
    dict(type='RandomStateHook'),
    dict(type='EMATeacherHook', decay=0.99),  # teacher = EMA of the student
    dict(type='ThresholdHook'),
]
default_hooks = dict(checkpoint=dict(interval=200, save_best='acc/top1', rule='greater'))
