# Supervised audio-visual model on SynthAV's 5-shot labeled split (5 clips per class): the full
# list's config on the 5-shot list.
_base_ = ['./sup_tiny_synthav_full_av.py']

train_dataloader = dict(dataset=dict(ann_file='train_labeled_5shot.txt'))
