# avssl_tiny_synthav_1shot_tube_contrast_auxsum_mdrop.py (V+A+Tube+C, 1 shot, late-fusion heads,
# modality dropout 0.5) with distribution alignment of the teacher's probabilities before they
# become pseudo-labels (DistributionAlignment: rescaled by the uniform marginal over a running
# average of the teacher's predictions, momentum 0.99, a horizon of about 100 batches). A
# candidate for every semi-supervised row, chosen on val (docs/reproduction.md, "Distribution
# alignment"). Written on the 1-shot config (two levels of bases at most), so it restates the
# heads and the dropout.
_base_ = ['../avssl_tiny_synthav_1shot_tube_contrast.py']

model = dict(
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        ),
        modality_dropout=0.5,
    ),
    dist_align_cfg=dict(type='DistributionAlignment', momentum=0.99),
)
