# SVFormer-Flex, tiny, SynthAV 1-shot, started from the labeled-only model instead of from
# scratch: the tiny analogue of SVFormer's ImageNet-initialised ViT (no warm-up ramp then).
# Needs the checkpoint of `sup_tiny_synthav_1shot_v.py` (seed 0), written by
# tools/experiments/svformer_synthav.sh.
_base_ = ['../svformer_tiny_synthav_1shot_flex.py']

sup_checkpoint = 'work_dirs/svformer_synthav/sup_tiny_synthav_1shot_v/seed0/iter_400.pth'
model = dict(
    network=dict(init_cfg=dict(type='Pretrained', checkpoint=sup_checkpoint)),
    unsup_warmup_iters=0,
)
