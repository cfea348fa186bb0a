# Labeled-only V, tiny, 1 label per class, on the source-pulse SynthAV variant
# (labeled_tiny_synthav_1shot_v_srcpulse.py),
# started from the clip TimeSformer instead of the image ViT: the tiny TimeSformer trained on
# 8-frame clips of the pretraining classes where only the source pulses
# (python tools/pretrain/synthav_pretrain.py --only video_clips_srcpulse; docs/pretraining.md),
# as a Kinetics TimeSformer is a start that has seen time. Only the start differs from the twin
# (tests/test_protocol.py); docs/reproduction.md, "Frames that name the class".
_base_ = ['../labeled_tiny_synthav_1shot_v.py']

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
    )
)
