# SVFormer with a ViT-B/16 TimeSformer (divided space-time attention, 8x224x224): 121.26M
# parameters per network. The backbone starts from an ImageNet ViT-B/16 converted beforehand:
#   python tools/model_converters/vit_to_timesformer.py \
#       vit_base_patch16_224.pth data/pretrained/timesformer_vitb_imagenet.pth
# (any local timm-keyed ViT-B/16 file; nothing is downloaded at run time).
model = dict(
    type='AVSemiRecognizer',
    network=dict(
        type='AVRecognizer',
        backbone=dict(
            type='MixableTimeSformer',
            pretrained='data/pretrained/timesformer_vitb_imagenet.pth',
            num_frames=8,
            img_size=224,
            patch_size=16,
            embed_dims=768,
            num_heads=12,
            num_transformer_layers=12,
            in_channels=3,
            dropout_ratio=0.0,
            attention_type='divided_space_time',
            norm_cfg=dict(type='LN', eps=1e-6),
        ),
        cls_head=dict(
            type='TimeSformerHead', num_classes=51, in_channels=768, average_clips='prob'
        ),
    ),
    threshold_cfg=dict(type='FlexMatchThreshold'),
    mix_cfg=dict(type='TubeTokenMix'),
    temporal_warp_cfg=dict(type='TemporalWarp'),
    gamma1=2.0,
    gamma2=2.0,
    mix_loss='mse_logits',
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
