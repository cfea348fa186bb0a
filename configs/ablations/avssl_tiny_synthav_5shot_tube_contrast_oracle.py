# V+A+Tube+C, tiny, SynthAV 5-shot, trained on ORACLE pseudo-labels: a diagnostic upper bound,
# not a result. The 5-shot row (configs/avssl_tiny_synthav_5shot_tube_contrast.py) with one change: the unlabeled
# and mix losses use the unlabeled clips' true labels (one-hot, every one passes the threshold)
# in place of the teacher's guesses (AVSemiRecognizer pseudo_labels='oracle'; SynthAV knows the
# labels of its unlabeled clips). Everything else (schedule, warm-up, weights, mix, warp, the
# reported EMA teacher) is the row's, so the gap to the row is what pseudo-label errors cost and
# the gap to labeled-only is the most this protocol lets any pseudo-labelling gain
# (docs/reproduction.md, "5-shot: with right pseudo-labels"). Written on the 1-shot config, as the
# 5-shot one is, so that the chain of bases stays two deep.
_base_ = ['../avssl_tiny_synthav_1shot_tube_contrast.py']

train_dataloader = dict(
    dataset=dict(
        labeled=dict(ann_file='train_labeled_5shot.txt'),
        unlabeled=dict(ann_file='train_unlabeled_5shot.txt'),
    )
)
# the 5-shot warm-up and unlabeled weights (chosen on val, see configs/avssl_tiny_synthav_5shot_tube_contrast.py)
model = dict(unsup_start_iter=200, gamma1=0.5, gamma2=0.5, pseudo_labels='oracle')
