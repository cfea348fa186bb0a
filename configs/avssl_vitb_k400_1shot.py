# The paper's method (V+A+ASL+C, Table 1 "Ours"), ViT-B, Kinetics-400, 1 label(s) per class:
# SVFormer-Flex's recipe and schedule, the audio encoder and fusion layers, the ASL-guided mix
# with audio mixup, the visual-audio contrastive loss (gamma3 = 0.1), weight decay 1e-3.
# Needs the converted FNAC weights at model.localizer.checkpoint (docs/method.md).
_base_ = ['./svformer_vitb_k400_1shot_flex.py', '_base_/models/avssl_vitb_network.py']

model = dict(
    network={{_base_.avssl_vitb_network}},
    mix_cfg=dict(type='ASLGuidedMix', _delete_=True),
    localizer={{_base_.avssl_vitb_localizer}},
    contrast_cfg={{_base_.avssl_contrast_cfg}},
    gamma3=0.1,
)
optim_wrapper = dict(optimizer=dict(weight_decay=1e-3))
