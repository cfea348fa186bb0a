# SVFormer-Fix (video only), 1 shot, in the setting the 1-shot val rule chose for the audio-visual rows
# (docs/reproduction.md, "The imprinted cosine classifier"), as far as one modality allows:
# - The class head is CosineHead (10 x cosine, scale 10) on the video class token;
#   PrototypeImprintHook sets its weights at the start of the run to the labeled clips' class
#   means (val pipeline).
# - The encoder is fine-tuned; 800 iterations.
# - No localizer and no source pooling: both read the audio, which this row does not have.
# tests/test_protocol.py checks that this is the row's *_it800 config with only these changes.
# Written on SVFormer-Flex's config (two levels of bases at most), so it restates the fixed
# threshold.
_base_ = ['../svformer_tiny_synthav_1shot_flex.py']

model = dict(
    threshold_cfg=dict(type='FixedThreshold'),  # tau = 0.3 (the class default)
    network=dict(cls_head=dict(type='CosineHead', scale=10.0)),
)

train_cfg = dict(max_iters=800)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=40),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=40, end=800, eta_min=1e-5),
]

custom_hooks = [
    dict(type='RandomStateHook'),
    # The cosine head's weights: the class means of the labeled clips' features, at iteration 0.
    dict(type='PrototypeImprintHook'),
    dict(type='EMATeacherHook', decay=0.99),  # teacher = EMA of the student
    dict(type='ThresholdHook'),
]
