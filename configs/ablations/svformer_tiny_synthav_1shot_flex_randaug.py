# SVFormer-Flex (video only), tiny, 1 label per class, with RandAugment on the unlabeled clips' strong
# view (ClipRandAugment: 2 operations at magnitude 9, one draw per clip), the strong
# augmentation of FixMatch-style learners that SVFormer's paper names and its released code
# leaves off (docs/svformer.md). A candidate setting of every semi-supervised row, chosen on val
# (docs/reproduction.md, "RandAugment on the strong view"); the labeled-only rows have no strong
# view. The strong pipeline is the base's, with the one transform inserted after the flip.
_base_ = ['../svformer_tiny_synthav_1shot_flex.py']

_unlabeled = _base_.semi_unlabeled_pipeline[0]
_strong = _unlabeled['strong']
_strong = _strong[:-3] + [dict(type='ClipRandAugment', num_ops=2, magnitude=9)] + _strong[-3:]
train_dataloader = dict(dataset=dict(unlabeled=dict(pipeline=[dict(_unlabeled, strong=_strong)])))
