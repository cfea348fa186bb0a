# A tiny audio-visual recognizer for CPU runs: TimeSformer (2 layers, width 96) on 8x112x112
# frames + AudioTransformer (2 layers, width 96) on 256x128 log-mel, class tokens
# concatenated, one linear head.
model = dict(
    type='AVRecognizer',
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
    audio_backbone=dict(
        type='AudioTransformer',
        input_tdim=256,
        input_fdim=128,
        patch_size=16,
        embed_dims=96,
        depth=2,
        num_heads=3,
        pretrained='checkpoints/synthav_pretrained/audio_vit_tiny_p16_synthav20.pth',  # docs/pretraining.md
    ),
    neck=dict(type='ConcatFusion'),
    cls_head=dict(type='TimeSformerHead', num_classes=10, in_channels=192, average_clips='prob'),
    data_preprocessor=dict(
        type='AVDataPreprocessor',
        mean=[114.75, 114.75, 114.75],  # 0.45 * 255 (docs/method.md section 1)
        std=[57.375, 57.375, 57.375],  # 0.225 * 255
        format_shape='NCTHW',
    ),
)
