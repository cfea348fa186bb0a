# SVFormer-Fix (a fixed confidence threshold), ViT-B, VGGSound, 5 labels per class:
# SVFormer-Flex's config with the other threshold.
_base_ = ['./svformer_vitb_vggsound_5shot_flex.py']

model = dict(threshold_cfg=dict(type='FixedThreshold'))  # tau = 0.3 (the class default)
