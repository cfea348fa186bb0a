# Labeled-only lower bound of the video-only rows (SVFormer), tiny, SynthAV, 5 labels per class,
# in the semi-supervised rows' protocol (docs/reproduction.md): as labeled_tiny_synthav_1shot_v.py
# with the 50 clips of the 5-shot list. SVFormer-Flex 5-shot is compared with this row (the
# audio-visual rows with labeled_tiny_synthav_5shot_av.py).
_base_ = ['./labeled_tiny_synthav_1shot_v.py']

train_dataloader = dict(dataset=dict(labeled=dict(ann_file='train_labeled_5shot.txt')))
