# The method (V+A+ASL+C), tiny, SynthAV, 5 labels per class: the 1-shot config with the 5-shot
# lists (50 labeled clips, the other 550 training clips unlabeled); batches, schedule and
# everything else as in 1-shot.
_base_ = ['./avssl_tiny_synthav_1shot.py']

train_dataloader = dict(
    dataset=dict(
        labeled=dict(ann_file='train_labeled_5shot.txt'),
        unlabeled=dict(ann_file='train_unlabeled_5shot.txt'),
    )
)
