# SVFormer-Flex (video only), tiny, SynthAV 1-shot, trained on ORACLE pseudo-labels: a diagnostic
# upper bound, not a result. The 1-shot row (configs/svformer_tiny_synthav_1shot_flex.py) with one
# change: the unlabeled and mix losses use the unlabeled clips' true labels (one-hot, every one
# passes the threshold) in place of the teacher's guesses (AVSemiRecognizer pseudo_labels='oracle';
# SynthAV knows the labels of its unlabeled clips). Everything else (schedule, warm-up, weights,
# mix, warp, the reported EMA teacher) is the row's, so the gap to labeled-only V is the most this
# protocol lets any pseudo-labelling gain with video alone at 1 shot (docs/reproduction.md,
# "5-shot: with right pseudo-labels").
_base_ = ['../svformer_tiny_synthav_1shot_flex.py']

model = dict(pseudo_labels='oracle')
