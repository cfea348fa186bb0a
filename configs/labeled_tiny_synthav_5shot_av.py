# Labeled-only lower bound of the audio-visual method, tiny, SynthAV, 5 labels per class, in the
# semi-supervised rows' protocol (docs/reproduction.md): as labeled_tiny_synthav_1shot_av.py with
# the 50 clips of the 5-shot list.
_base_ = ['./labeled_tiny_synthav_1shot_av.py']

train_dataloader = dict(dataset=dict(labeled=dict(ann_file='train_labeled_5shot.txt')))
