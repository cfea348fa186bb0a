# SVFormer-Flex (video only), tiny, 5 labels per class, on the SynthAV variant with one object
# per clip (see svformer_tiny_synthav_1shot_flex_solo.py). The 5-shot
# row (configs/svformer_tiny_synthav_5shot_flex.py) on that data; written on the 1-shot config,
# as the 5-shot one is, so the 5-shot lists, warm-up and weights are restated.
_base_ = ['../svformer_tiny_synthav_1shot_flex.py']

_data = dict(
    data_root='data/synthav_solo',
    generator_cfg=dict(num_classes=10, clips_per_class=100, seed=0, num_distractors=0),
)
train_dataloader = dict(
    dataset=dict(
        labeled=dict(ann_file='train_labeled_5shot.txt', **_data),
        unlabeled=dict(ann_file='train_unlabeled_5shot.txt', **_data),
    )
)
val_dataloader = dict(dataset=_data)
test_dataloader = dict(dataset=_data)
# the 5-shot warm-up and unlabeled weights (chosen on val, see configs/svformer_tiny_synthav_5shot_flex.py)
model = dict(unsup_start_iter=200, gamma1=0.5, gamma2=0.5)
