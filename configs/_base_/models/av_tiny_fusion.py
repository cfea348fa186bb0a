# The method's tiny audio-visual network as a supervised recognizer (CPU): TimeSformer (2 layers,
# width 96) on 8x112x112 frames + AudioTransformer (2 layers, width 96) on 256x128 log-mel, one
# fusion layer of width 96 over the two class tokens, the head on the first fused token. The
# network of models/avssl_tiny.py, trained on labels alone.

# The audio encoder and the fusion layer, as in models/avssl_tiny.py.
avssl_tiny_network = dict(
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
    neck=dict(
        type='TransformerFusion',
        video_dims=96,
        audio_dims=96,
        embed_dims=96,
        num_layers=1,
        num_heads=3,
        tokens='cls',
    ),
)
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
    cls_head=dict(type='TimeSformerHead', num_classes=10, in_channels=96, average_clips='prob'),
    data_preprocessor=dict(
        type='AVDataPreprocessor',
        mean=[114.75, 114.75, 114.75],  # 0.45 * 255 (docs/method.md section 1)
        std=[57.375, 57.375, 57.375],  # 0.225 * 255
        format_shape='NCTHW',
    ),
    **avssl_tiny_network,
)

# Not used by this supervised model: the method's contrastive loss and localizer as in
# models/avssl_tiny.py, kept so that the configs built on this file resolve to the same dicts as
# before the configs were flattened (tools/analysis/check_configs_resolve.py).
avssl_tiny_contrast_cfg = dict(
    type='AVContrastiveLoss', video_dims=96, audio_dims=96, temperature=0.07
)
avssl_tiny_localizer = dict(
    type='FNAC',
    embed_dim=128,
    tau=0.07,
    width_mult=0.25,
    visual_last_stride=1,
    input_size=(112, 112),
    checkpoint='checkpoints/synthav_pretrained/fnac_r18_w025_synthav_short.pth',
    config='configs/fnac_r18_synthav_short.py',
)
