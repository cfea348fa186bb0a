# Labeled-only V, tiny, 1 label per class, on the SynthAV variant with one object per clip (see
# svformer_tiny_synthav_1shot_flex_solo.py): the lower bound that SVFormer-Flex is compared
# with on that variant. The row's protocol is unchanged.
_base_ = ['../labeled_tiny_synthav_1shot_v.py']

_data = dict(
    data_root='data/synthav_solo',
    generator_cfg=dict(num_classes=10, clips_per_class=100, seed=0, num_distractors=0),
)
train_dataloader = dict(dataset=dict(labeled=_data, unlabeled=_data))
val_dataloader = dict(dataset=_data)
test_dataloader = dict(dataset=_data)
