# A tiny divided space-time TimeSformer for CPU runs on 8x112x112 clips (2 layers, width 96).
model = dict(
    type='Recognizer3D',
    backbone=dict(
        type='MixableTimeSformer',  # TimeSformer that also reads timm ViT files
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
        pretrained='checkpoints/synthav_pretrained/vit_tiny_p16_112_synthav20.pth',  # docs/pretraining.md
    ),
    cls_head=dict(type='TimeSformerHead', num_classes=10, in_channels=96, average_clips='prob'),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[114.75, 114.75, 114.75],  # 0.45 * 255 (docs/method.md section 1)
        std=[57.375, 57.375, 57.375],  # 0.225 * 255
        format_shape='NCTHW',
    ),
)
