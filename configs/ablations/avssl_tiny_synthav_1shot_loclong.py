# avssl_tiny_synthav_1shot.py with the long-schedule localizer: the FNAC that configs/fnac_r18_synthav.py trains
# (1,200 iterations from the pretrained visual stream; the checkpoint with the best val cIoU@0.5,
# iteration 800; SynthAV test cIoU@0.5 0.843 against the short schedule's 0.387), shipped in
# checkpoints/synthav_pretrained/. Its maps are blurred by one grid cell, as in training.
_base_ = ['../avssl_tiny_synthav_1shot.py']

model = dict(
    localizer=dict(
        map_sigma=1.0,
        checkpoint='checkpoints/synthav_pretrained/fnac_r18_w025_synthav.pth',
        config='configs/fnac_r18_synthav.py',
    )
)
