# SVFormer-Flex, tiny, 5 labels per class, on the source-pulse SynthAV variant
# (svformer_tiny_synthav_5shot_flex_srcpulse.py),
# started from the clip TimeSformer instead of the image ViT: the tiny TimeSformer trained on
# 8-frame clips of the pretraining classes where only the source pulses
# (python tools/pretrain/synthav_pretrain.py --only video_clips_srcpulse; docs/pretraining.md),
# as a Kinetics TimeSformer is a start that has seen time. Only the start differs from the twin
# (tests/test_protocol.py); docs/reproduction.md, "Frames that name the class".
_base_ = ['../svformer_tiny_synthav_1shot_flex.py']

_data = dict(
    data_root='data/synthav_srcpulse',
    generator_cfg=dict(num_classes=10, clips_per_class=100, seed=0, distractor_pulse=False),
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
model = dict(
    network=dict(
        backbone=dict(
            pretrained='checkpoints/synthav_pretrained/timesformer_tiny_p16_112_synthav20_srcpulse.pth'
        )
    ),
    unsup_start_iter=200,
    gamma1=0.5,
    gamma2=0.5,
)
