# FNAC audio source localizer on SynthAV, long schedule (1,200 iterations, about 15 min on 2 CPU
# cores): the model and settings of fnac_r18_synthav_short.py, mean pooling for the first 400
# iterations, maps blurred by one grid cell, trained on its own unlabeled set data/synthav_loc
# (4,000 clips, generator seed 1; validation and test stay on data/synthav). Why, and the
# numbers: docs/fnac.md.
_base_ = [
    '_base_/default_runtime.py',
    '_base_/models/fnac_r18.py',
    '_base_/datasets/synthav_localization.py',
]

max_iters = 1200
warmup_iters = max_iters  # the three false-negative terms never join (docs/fnac.md)
mean_pool_iters = 400
# The localizer's own unlabeled training set (labels unused; no val / test lists).
loc_data_root = 'data/synthav_loc'
loc_generator_cfg = dict(
    num_classes=10, clips_per_class=400, seed=1, val_fraction=0.0, test_fraction=0.0
)

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
    # Gaussian blur (1 grid cell) of the similarity maps, in the InfoNCE's max and in the
    # output map: the max then scores a neighbourhood and its gradient reaches the cells around
    # the peak, so the map covers the object's box and not only its most distinctive cell.
    map_sigma=1.0,
)

train_dataloader = dict(
    batch_size=32,
    dataset=dict(data_root=loc_data_root, generator_cfg=loc_generator_cfg),
)
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters // 3)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(optimizer=dict(type='Adam', lr=3e-4, weight_decay=1e-4))
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(
        interval=max_iters // 3, max_keep_ckpts=2, save_best='cIoU@0.5', rule='greater'
    ),
)
