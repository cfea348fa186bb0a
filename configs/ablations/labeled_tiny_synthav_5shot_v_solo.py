# Labeled-only V, tiny, 5 labels per class, on the SynthAV variant with one object per
# clip (see svformer_tiny_synthav_1shot_flex_solo.py): the 5-shot lower bound of
# SVFormer-Flex on that variant (configs/labeled_tiny_synthav_5shot_v.py on that data).
_base_ = ['../labeled_tiny_synthav_1shot_v.py']

_data = dict(
    data_root='data/synthav_solo',
    generator_cfg=dict(num_classes=10, clips_per_class=100, seed=0, num_distractors=0),
)
train_dataloader = dict(
    dataset=dict(
        labeled=dict(ann_file='train_labeled_5shot.txt', **_data),
        unlabeled=_data,
    )
)
val_dataloader = dict(dataset=_data)
test_dataloader = dict(dataset=_data)
