# FNAC audio source localizer on SynthAV, longer schedule (<= 15 min on 2 CPU cores): the model
# of fnac_r18_synthav_short.py (width_mult 0.25, embedding 128, 112x112 frames, 7x7 grid)
# trained for about the paper's 30 epochs (600 iterations x 32 clips = 32 epochs of the 600
# training clips), with the paper's 5-epoch warm-up (100 iterations). docs/fnac.md has the
# sizes against the paper's.
# Iteration time: 1.13 to 1.2 s (a 20-iteration run of the same model: batch 32, 2 loader
# workers, OMP_NUM_THREADS=1, the 2 cores shared with other jobs at load average 4.7), so 600
# iterations take about 12 min, plus start-up and two validations (about 30 s). Twice the width
# (--cfg-options model.width_mult=0.5 model.embed_dim=256) measured 2.4 s per iteration: it
# would need max_iters of about 300 to stay within 15 min.
_base_ = [
    '_base_/default_runtime.py',
    '_base_/models/fnac_r18.py',
    '_base_/datasets/synthav_localization.py',
]

max_iters = 600
warmup_iters = 100  # the paper's 5 of 30 epochs

model = dict(
    width_mult=0.25,
    embed_dim=128,
    visual_last_stride=1,
    input_size=(112, 112),
    warmup_iters=warmup_iters,
)

train_dataloader = dict(batch_size=32)
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters // 2)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-4, weight_decay=1e-4))
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(
        interval=max_iters // 2, max_keep_ckpts=2, save_best='cIoU@0.5', rule='greater'
    ),
)
