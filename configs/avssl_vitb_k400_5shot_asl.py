# V+A+ASL (Table 2, without the contrastive loss), ViT-B, Kinetics-400, 5 labels per class.
# Needs the converted FNAC weights at model.localizer.checkpoint (docs/method.md).
_base_ = [
    '_base_/default_runtime.py',
    '_base_/models/avssl_vitb.py',
    '_base_/datasets/k400_semi_224.py',
    '_base_/schedules/sgd_svformer.py',
]

model = dict(
    network=dict(cls_head=dict(num_classes=400)),
    threshold_cfg=dict(type='FlexMatchThreshold'),  # tau = 0.3 (the class default)
    # Frame-wise token masks drawn from the frozen localizer's maps, audio mixed with the same
    # lambda and partner; lambda ~ Beta(5, 10) (the class defaults alpha, beta).
    mix_cfg=dict(type='ASLGuidedMix'),
    # FNAC at the paper's sizes (_base_/models/fnac_r18.py): an official release converted with
    # tools/model_converters/fnac_to_avssl.py, or the last checkpoint of an FNAC trained here.
    localizer=dict(
        type='FNAC',
        embed_dim=512,
        tau=0.03,
        width_mult=1.0,
        visual_last_stride=2,
        input_size=(224, 224),
        checkpoint='data/pretrained/fnac_avssl.pth',
        config='configs/fnac_r18_synthav.py',
    ),
    gamma1=2.0,  # weight of the unlabeled loss
    gamma2=2.0,  # weight of the mix loss
)
optim_wrapper = dict(optimizer=dict(weight_decay=1e-3))  # docs/method.md section 7
custom_hooks = [
    dict(type='RandomStateHook'),
    dict(type='EMATeacherHook', decay=0.99),  # teacher = EMA of the student, per optimizer step
    dict(type='ThresholdHook'),
]
train_dataloader = dict(
    dataset=dict(
        labeled=dict(ann_file='train_labeled_5shot.txt'),
        unlabeled=dict(ann_file='train_unlabeled_5shot.txt'),
    )
)

# 50 epochs x ceil(238,000 unlabeled / 320 per optimizer step) = 744 steps x 32 iterations
# (about 240K train clips with audio, docs/method.md s. 1).
max_iters = 1190400
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters // 10)
param_scheduler = [
    dict(
        type='MultiStepLR',
        by_epoch=False,
        begin=0,
        end=max_iters,
        milestones=[int(0.83 * max_iters), int(0.93 * max_iters)],
        gamma=0.1,
    )
]
default_hooks = dict(
    checkpoint=dict(
        interval=max_iters // 10, save_best='acc/top1', rule='greater', max_keep_ckpts=2
    )
)
