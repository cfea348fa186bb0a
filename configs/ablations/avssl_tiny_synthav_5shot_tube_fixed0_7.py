# V+A+Tube (no contrastive loss), tiny, SynthAV 5-shot, with a fixed confidence threshold of
# 0.7 in place of FlexMatch (docs/reproduction.md, "5-shot: the teacher's sure guesses are
# right"): avssl_tiny_synthav_5shot_tube_contrast_fixed0_7.py without the contrastive loss,
# run to tell what that loss does when almost no pseudo-label passes. Written on the 1-shot
# config, as the 5-shot ones are, so that the chain of bases stays two deep. The threshold
# was chosen on val with the method (see avssl_tiny_synthav_5shot_fixed0_7.py).
_base_ = ['../avssl_tiny_synthav_1shot_tube.py']

train_dataloader = dict(
    dataset=dict(
        labeled=dict(ann_file='train_labeled_5shot.txt'),
        unlabeled=dict(ann_file='train_unlabeled_5shot.txt'),
    )
)
# the 5-shot warm-up and unlabeled weights (chosen on val, see configs/avssl_tiny_synthav_5shot_tube_contrast.py without the contrastive loss, as avssl_tiny_synthav_1shot_tube.py is to its "+C" row)
model = dict(
    unsup_start_iter=200,
    gamma1=0.5,
    gamma2=0.5,
    threshold_cfg=dict(type='FixedThreshold', tau=0.7),
)
