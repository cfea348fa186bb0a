# V+A+Tube (Table 2), ViT-B, Kinetics-400, 1 label(s) per class: SVFormer-Flex's recipe and schedule
# with the audio encoder, the fusion layers and audio mixup; weight decay 1e-3 (method.md s. 7).
_base_ = ['./svformer_vitb_k400_1shot_flex.py', '_base_/models/avssl_vitb_network.py']

model = dict(network={{_base_.avssl_vitb_network}})
optim_wrapper = dict(optimizer=dict(weight_decay=1e-3))
