# V+A+ASL (Table 2, without the contrastive loss), ViT-B, UCF-51, 5 label(s) per class.
_base_ = ['./svformer_vitb_ucf51_5shot_flex.py', '_base_/models/avssl_vitb_network.py']

model = dict(
    network={{_base_.avssl_vitb_network}},
    mix_cfg=dict(type='ASLGuidedMix', _delete_=True),
    localizer={{_base_.avssl_vitb_localizer}},
)
optim_wrapper = dict(optimizer=dict(weight_decay=1e-3))
