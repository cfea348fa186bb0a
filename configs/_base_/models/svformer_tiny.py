# SVFormer's model on the tiny video network (CPU): student + EMA teacher of a TimeSformer
# (2 layers, width 96, 8x112x112 clips), temporal warping, MSE mix loss (docs/method.md sections
# 2 and 3). The configs choose the threshold, the mix and the loss weights.
model = dict(
    type='AVSemiRecognizer',
    network=dict(
        type='AVRecognizer',
        backbone=dict(
            type='MixableTimeSformer',
            num_frames=8,
            img_size=112,
            patch_size=16,
            embed_dims=96,
            num_heads=3,
            num_transformer_layers=2,
            in_channels=3,
            dropout_ratio=0.0,
            attention_type='divided_space_time',
            norm_cfg=dict(type='LN', eps=1e-6),
            # SynthAV-pretrained tiny image ViT, the CPU stand-in for the ImageNet ViT of the
            # ViT-B configs (docs/pretraining.md); None trains from scratch.
            pretrained='checkpoints/synthav_pretrained/vit_tiny_p16_112_synthav20.pth',
        ),
        cls_head=dict(type='TimeSformerHead', num_classes=10, in_channels=96, average_clips='prob'),
    ),
    temporal_warp_cfg=dict(type='TemporalWarp'),
    mix_loss='mse_logits',
    # Labeled loss alone for the first 50 iterations (the EMA teacher and the FlexMatch state
    # follow meanwhile), then the unlabeled and mix losses ramp up over 50. 50 was chosen over
    # 150 on the validation split (seed 100, SVFormer-Flex and the method; docs/reproduction.md);
    # the ViT-B configs use 0, as SVFormer.
    unsup_start_iter=50,
    unsup_warmup_iters=50,
    eval_model='teacher',
    data_preprocessor=dict(
        type='MultiBranchDataPreprocessor',
        data_preprocessor=dict(
            type='AVDataPreprocessor',
            mean=[114.75, 114.75, 114.75],
            std=[57.375, 57.375, 57.375],
            format_shape='NCTHW',
        ),
    ),
)
