# SVFormer-Flex, tiny, 1 label per class, on the source-pulse SynthAV variant from the clip
# TimeSformer start, trained on ORACLE pseudo-labels: a diagnostic upper bound, not a result.
# svformer_tiny_synthav_1shot_flex_srcpulse_clipstart.py with the unlabeled clips' true labels in
# place of the teacher's guesses (AVSemiRecognizer pseudo_labels='oracle'), so it says how much
# the unlabeled clips could give this video-only model once it can read the class from the clip
# (docs/reproduction.md, "Frames that name the class").
_base_ = ['../svformer_tiny_synthav_1shot_flex.py']

_data = dict(
    data_root='data/synthav_srcpulse',
    generator_cfg=dict(num_classes=10, clips_per_class=100, seed=0, distractor_pulse=False),
)
train_dataloader = dict(dataset=dict(labeled=_data, unlabeled=_data))
val_dataloader = dict(dataset=_data)
test_dataloader = dict(dataset=_data)
model = dict(
    network=dict(
        backbone=dict(
            pretrained='checkpoints/synthav_pretrained/timesformer_tiny_p16_112_synthav20_srcpulse.pth'
        )
    ),
    pseudo_labels='oracle',
)
