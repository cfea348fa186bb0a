# Labeled-only lower bound of the audio-visual method: its tiny network (video + audio
# encoders, one fusion layer) trained on the 10 labeled clips of SynthAV's 1-shot split alone.
# Same schedule as sup_tiny_synthav_1shot_v.py.
_base_ = [
    '_base_/default_runtime.py',
    '_base_/models/av_tiny_fusion.py',
    '_base_/datasets/synthav_sup_112.py',
    '_base_/schedules/adamw_400it.py',
]

train_dataloader = dict(dataset=dict(ann_file='train_labeled_1shot.txt'))
default_hooks = dict(checkpoint=dict(interval=200, save_best='acc/top1', rule='greater'))
