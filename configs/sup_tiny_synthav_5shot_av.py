# Supervised audio-visual model on SynthAV's 5-shot labeled split (5 clips per class).
_base_ = ['_base_/recipes/sup_tiny_synthav_av.py']

train_dataloader = dict(dataset=dict(ann_file={{_base_.ann_file_labeled_5shot}}))
