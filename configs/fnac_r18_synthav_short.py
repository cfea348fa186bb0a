# FNAC audio source localizer on SynthAV, short schedule (<= 5 min on 2 CPU cores). Its
# checkpoint is what the method's tiny configs load: the LAST checkpoint
#   work_dirs/fnac_r18_synthav_short/iter_200.pth
# (fixed work_dir; `last_checkpoint` in that folder names the same file).
# Sizes (docs/fnac.md): ResNet-18 streams at width_mult 0.25 (stage widths 16/32/64/128),
# embedding 128, 112x112 frames with layer4 stride 1 (7x7 grid), 257x200 spectrogram of 3 s.
# Iteration time: 1.13 to 1.2 s (a 20-iteration run of this config: batch 32, 2 loader workers,
# OMP_NUM_THREADS=1, the 2 cores shared with other jobs at load average 4.7). 200 iterations
# (about 11 epochs of the 600 training clips) take about 4 min, plus about 15 s of start-up and
# the final validation on the 100 val clips.
_base_ = [
    '_base_/default_runtime.py',
    '_base_/models/fnac_r18.py',
    '_base_/datasets/synthav_localization.py',
]

work_dir = 'work_dirs/fnac_r18_synthav_short'
max_iters = 200
warmup_iters = 35  # the paper's 5 of 30 epochs: about the first sixth on InfoNCE alone

model = dict(
    width_mult=0.25,
    embed_dim=128,
    visual_last_stride=1,
    input_size=(112, 112),
    warmup_iters=warmup_iters,
)

train_dataloader = dict(batch_size=32)
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-4, weight_decay=1e-4))
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=max_iters, max_keep_ckpts=1),
)
