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
        # SynthAV-pretrained tiny audio ViT (sound families of classes 10-29; the stand-in for
        # the ImageNet / AudioSet start of the ViT-B configs; docs/pretraining.md).
        pretrained='checkpoints/synthav_pretrained/audio_vit_tiny_p16_synthav20.pth',
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
# The frozen localizer of the ASL-guided mix: the FNAC that configs/fnac_r18_synthav_short.py
# trains (same architecture keys; tests/test_configs.py checks they agree), shipped in
# checkpoints/synthav_pretrained/ (tools/pretrain/synthav_pretrain.py remakes it) and read at
# train start.
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
