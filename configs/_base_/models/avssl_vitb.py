# The method's model at full size (docs/method.md section 4.1): SVFormer's ViT-B model
# (models/svformer_vitb.py) with an AST-style ViT-B/16 audio encoder over the 256x128 log-mel
# of 2.56 s (from a local image-ViT file, timm key names) and six ViT-B-width fusion layers over
# the two class tokens; the head reads the first fused token (sizes: docs/method.md section 11).
# The configs set the number of classes, the threshold, the mix (and the localizer it reads),
# the contrastive loss and the loss weights.

# The audio encoder and the fusion layers that the method adds to the video network.
avssl_vitb_network = dict(
    audio_backbone=dict(
        type='AudioTransformer',
        input_tdim=256,
        input_fdim=128,
        patch_size=16,
        embed_dims=768,
        depth=12,
        num_heads=12,
        pretrained='data/pretrained/vit_base_patch16_224_imagenet.pth',
    ),
    neck=dict(
        type='TransformerFusion',
        video_dims=768,
        audio_dims=768,
        embed_dims=768,
        num_layers=6,
        num_heads=12,
        tokens='cls',
    ),
)
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
        cls_head=dict(type='TimeSformerHead', in_channels=768, average_clips='prob'),
        **avssl_vitb_network,
    ),
    temporal_warp_cfg=dict(type='TemporalWarp'),
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

# Reference values of the two parts some configs add, written out in those configs (a config
# cannot read a base's variable without splicing it); tests/test_config_layout.py checks that
# the copies agree. The visual-audio contrastive loss (docs/method.md section 4.4): both
# encoders are 768 wide, so no projection; temperature 0.07.
avssl_contrast_cfg = dict(
    type='AVContrastiveLoss', video_dims=768, audio_dims=768, temperature=0.07
)
# The frozen localizer of the ASL-guided mix at the paper's sizes (models/fnac_r18.py): an
# official FNAC release converted with tools/model_converters/fnac_to_avssl.py, or the last
# checkpoint of an FNAC trained with this toolkit. Read at train start, never at construction.
avssl_vitb_localizer = dict(
    type='FNAC',
    embed_dim=512,
    tau=0.03,
    width_mult=1.0,
    visual_last_stride=2,
    input_size=(224, 224),
    checkpoint='data/pretrained/fnac_avssl.pth',
    config='configs/fnac_r18_synthav.py',
)
