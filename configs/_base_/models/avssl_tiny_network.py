# The paper's audio-visual network, tiny (CPU): overrides of the SVFormer tiny network
# (configs/_base_/models/svformer_tiny.py) with the tiny AudioTransformer (2 layers, width 96,
# 256x128 log-mel) and one fusion layer of width 96 over the two class tokens.
avssl_tiny_network = dict(
    audio_backbone=dict(
        type='AudioTransformer',
        input_tdim=256,
        input_fdim=128,
        patch_size=16,
        embed_dims=96,
        depth=2,
        num_heads=3,
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
avssl_tiny_contrast_cfg = dict(
    type='AVContrastiveLoss', video_dims=96, audio_dims=96, temperature=0.07
)
