# Labeled-only AV, tiny, 1 label per class, on the SynthAV variant with one object per clip
# (generator option num_distractors=0; see svformer_tiny_synthav_1shot_flex_solo.py): Table 2's
# audio-visual rows where one frame names the class, so that the 1-shot teacher is right on
# most unlabeled clips, as an ImageNet-started ViT-B's is on UCF (docs/reproduction.md, "Frames
# that name the class"). configs/labeled_tiny_synthav_1shot_av.py on that data; its protocol is unchanged.
_base_ = ['../labeled_tiny_synthav_1shot_av.py']

_data = dict(
    data_root='data/synthav_solo',
    generator_cfg=dict(num_classes=10, clips_per_class=100, seed=0, num_distractors=0),
)
train_dataloader = dict(dataset=dict(labeled=_data, unlabeled=_data))
val_dataloader = dict(dataset=_data)
test_dataloader = dict(dataset=_data)
