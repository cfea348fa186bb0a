# Labeled-only V, tiny, 5 labels per class, on the SynthAV variant in which only the sounding
# object pulses (see svformer_tiny_synthav_1shot_flex_srcpulse.py): the 5-shot lower bound of
# SVFormer-Flex on that variant (configs/labeled_tiny_synthav_5shot_v.py on that data).
_base_ = ['../labeled_tiny_synthav_1shot_v.py']

_data = dict(
    data_root='data/synthav_srcpulse',
    generator_cfg=dict(num_classes=10, clips_per_class=100, seed=0, distractor_pulse=False),
)
train_dataloader = dict(
    dataset=dict(
        labeled=dict(ann_file='train_labeled_5shot.txt', **_data),
        unlabeled=_data,
    )
)
val_dataloader = dict(dataset=_data)
test_dataloader = dict(dataset=_data)
