# FNAC audio source localizer on SynthAV, short schedule (360 iterations, about 5 min on 2 CPU
# cores), at the SynthAV sizes and from-scratch settings of docs/fnac.md. Its LAST checkpoint
# (work_dirs/fnac_r18_synthav_short/iter_360.pth, a fixed work_dir) is the localizer the method's
# tiny configs read (shipped in checkpoints/synthav_pretrained/).
_base_ = [
    '_base_/default_runtime.py',
    '_base_/models/fnac_r18.py',
    '_base_/datasets/synthav_localization.py',
]

work_dir = 'work_dirs/fnac_r18_synthav_short'
max_iters = 360
warmup_iters = max_iters  # the three false-negative terms never join (docs/fnac.md)
mean_pool_iters = 180

model = dict(
    # SynthAV-pretrained visual ResNet-18 (torchvision layout, classes 10-29), the stand-in for
    # FNAC's ImageNet start (docs/pretraining.md); None trains it from scratch.
    visual_pretrained='checkpoints/synthav_pretrained/resnet18_w025_synthav20.pth',
    width_mult=0.25,
    embed_dim=128,
    visual_last_stride=1,
    input_size=(112, 112),
    tau=0.07,
    visual_dropout=0.0,
    spec_mask=None,
    warmup_iters=warmup_iters,
    mean_pool_iters=mean_pool_iters,
)

train_dataloader = dict(batch_size=32)
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(optimizer=dict(type='Adam', lr=3e-4, weight_decay=1e-4))
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=max_iters, max_keep_ckpts=1),
)
