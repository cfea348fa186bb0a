# Supervised audio-visual reference on SynthAV's full train list (600 clips): the tiny
# audio-visual recognizer (video and audio class tokens concatenated, one linear head), CPU,
# minutes.
_base_ = [
    '_base_/default_runtime.py',
    '_base_/models/av_tiny.py',
    '_base_/datasets/synthav_sup_112.py',
    '_base_/schedules/adamw_600it.py',
]

default_hooks = dict(checkpoint=dict(interval=300, save_best='acc/top1', rule='greater'))
