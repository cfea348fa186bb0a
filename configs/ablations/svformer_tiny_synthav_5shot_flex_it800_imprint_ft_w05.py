# SVFormer-Flex (video only), 5 labels per class, in the imprinted setting with the unlabeled losses started
# later and weighted less, as every 5-shot semi-supervised row (labeled-only rows have no
# unlabeled clips): they start at iteration 200 and weigh 0.5 each, the values 5-shot val chose
# for the protocol before (docs/reproduction.md, "Choosing on val"). Put to 5-shot val against
# the imprinted setting's 50 and 2 and chosen (docs/reproduction.md, "A later, lighter start
# of the unlabeled losses at 5 shots, on val"). It is
# svformer_tiny_synthav_5shot_flex_it800_imprint_ft.py
# with only these three values changed; tests/test_protocol.py checks this.
_base_ = ['../svformer_tiny_synthav_1shot_flex.py']

train_dataloader = dict(
    dataset=dict(
        labeled=dict(ann_file='train_labeled_5shot.txt'),
        unlabeled=dict(ann_file='train_unlabeled_5shot.txt'),
    )
)

model = dict(
    unsup_start_iter=200,
    gamma1=0.5,
    gamma2=0.5,
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
