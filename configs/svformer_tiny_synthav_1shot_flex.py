# SVFormer-Flex (FlexMatch thresholds), tiny, SynthAV, 1 label per class.
_base_ = ['_base_/recipes/svformer_tiny_synthav.py']

model = dict(threshold_cfg=dict(type='FlexMatchThreshold'))
