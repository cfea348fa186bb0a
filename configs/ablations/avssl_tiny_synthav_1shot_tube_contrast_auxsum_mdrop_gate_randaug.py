# V+A+Tube+C, 1 shot, late-fusion heads, modality dropout 0.5, pseudo-labels gated by the audio
# classifier (avssl_tiny_synthav_1shot_tube_contrast_auxsum_mdrop_gate.py), with RandAugment on
# the unlabeled clips' strong view (ClipRandAugment: 2 operations at magnitude 9, one draw per
# clip), the strong augmentation of FixMatch-style learners that SVFormer's paper names and its
# released code leaves off (docs/svformer.md). A candidate setting of every semi-supervised row,
# chosen on val (docs/reproduction.md, "RandAugment on the strong view"); the labeled-only rows
# have no strong view. Written on the 1-shot config (two levels of bases at most), so it
# restates the heads, the dropout and the gate; the strong pipeline is the base's, with the one
# transform inserted after the flip.
_base_ = ['../avssl_tiny_synthav_1shot_tube_contrast.py']

model = dict(
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        ),
        modality_dropout=0.5,
    ),
    pseudo_label_gate_cfg=dict(type='ModalityGate', modality='audio'),
)
_unlabeled = _base_.semi_unlabeled_pipeline[0]
_strong = _unlabeled['strong']
_strong = _strong[:-3] + [dict(type='ClipRandAugment', num_ops=2, magnitude=9)] + _strong[-3:]
train_dataloader = dict(dataset=dict(unlabeled=dict(pipeline=[dict(_unlabeled, strong=_strong)])))
