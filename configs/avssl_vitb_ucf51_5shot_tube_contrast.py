# V+A+Tube+C (Table 2), ViT-B, UCF-51, 5 label(s) per class: V+A+Tube plus the
# visual-audio contrastive loss, gamma3 = 0.1.
_base_ = ['./svformer_vitb_ucf51_5shot_flex.py', '_base_/models/avssl_vitb_network.py']

model = dict(
    network={{_base_.avssl_vitb_network}}, contrast_cfg={{_base_.avssl_contrast_cfg}}, gamma3=0.1
)
optim_wrapper = dict(optimizer=dict(weight_decay=1e-3))
