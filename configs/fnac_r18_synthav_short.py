# FNAC audio source localizer on SynthAV, short schedule (<= 5 min on 2 CPU cores). Its
# checkpoint is what the method's tiny configs load: the LAST checkpoint
#   work_dirs/fnac_r18_synthav_short/iter_360.pth
# (fixed work_dir; `last_checkpoint` in that folder names the same file).
# Sizes (docs/fnac.md): ResNet-18 streams at width_mult 0.25 (stage widths 16/32/64/128),
# embedding 128, 112x112 frames with layer4 stride 1 (7x7 grid), 257x200 spectrogram of 3 s.
# Trained from scratch (no ImageNet file here), so some settings differ from the paper's
# (docs/fnac.md, measured in docs/results.md): InfoNCE logits averaged over locations for the
# first 180 iterations (the max-pooled InfoNCE stays at chance that long from scratch), then
# FNAC's max; temperature 0.07 instead of 0.03; no visual dropout (0.9 in the paper, for a
# pretrained stream); no spectrogram masks (they write 0, a loud band on SynthAV's quiet log
# spectrograms); Adam lr 3e-4; the three false-negative terms never join (warmup_iters =
# max_iters): added at weight 100 after iteration 280 they pushed the InfoNCE from 4.4 back to
# 6.7 within 80 iterations (docs/results.md); set model.warmup_iters lower to add them.
# About 0.65 s per iteration on 2 idle cores (batch 32): 360 iterations in about 4 min, plus
# start-up and the final validation.
_base_ = [
    '_base_/default_runtime.py',
    '_base_/models/fnac_r18.py',
    '_base_/datasets/synthav_localization.py',
]

work_dir = 'work_dirs/fnac_r18_synthav_short'
max_iters = 360
warmup_iters = max_iters  # the three FNAC terms never join (see above)
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
