# The method's model, tiny (CPU): SVFormer's tiny model (models/svformer_tiny.py) with the
# audio-visual network: the video TimeSformer, a tiny AudioTransformer (2 layers, width 96,
# 256x128 log-mel) and one fusion layer of width 96 over the two class tokens. The configs
# choose the threshold, the mix (and the localizer it reads), the contrastive loss and the
# loss weights.

# The audio encoder and the fusion layer that the method adds to the video network.
avssl_tiny_network = dict(
    audio_backbone=dict(
        type='AudioTransformer',
        input_tdim=256,
        input_fdim=128,
        patch_size=16,
        embed_dims=96,
        depth=2,
        num_heads=3,
        # SynthAV-pretrained tiny audio ViT, the stand-in for the ImageNet / AudioSet start of
        # the ViT-B configs (docs/pretraining.md).
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
            # SynthAV-pretrained tiny image ViT (docs/pretraining.md); None trains from scratch.
            pretrained='checkpoints/synthav_pretrained/vit_tiny_p16_112_synthav20.pth',
        ),
        cls_head=dict(type='TimeSformerHead', num_classes=10, in_channels=96, average_clips='prob'),
        **avssl_tiny_network,
    ),
    temporal_warp_cfg=dict(type='TemporalWarp'),
    mix_loss='mse_logits',
    # Labeled loss alone for the first 50 iterations, then the unlabeled and mix losses ramp up
    # over 50: 50 was chosen over 150 on the validation split (docs/reproduction.md).
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

# Reference values of the two parts some configs add, written out in those configs (a config
# cannot read a base's variable without splicing it); tests/test_config_layout.py checks that
# the copies agree. The contrastive loss (temperature 0.07):
avssl_tiny_contrast_cfg = dict(
    type='AVContrastiveLoss', video_dims=96, audio_dims=96, temperature=0.07
)
# The frozen localizer of the ASL-guided mix: the FNAC that configs/fnac_r18_synthav_short.py
# trains, shipped in checkpoints/synthav_pretrained/ and read at train start.
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
# The long-schedule localizer of the configs/ablations/*_loclong.py configs: the FNAC that
# configs/fnac_r18_synthav.py trains (the checkpoint with the best val cIoU@0.5), maps blurred by
# one grid cell as in its training.
avssl_tiny_localizer_long = dict(
    avssl_tiny_localizer,
    map_sigma=1.0,
    checkpoint='checkpoints/synthav_pretrained/fnac_r18_w025_synthav.pth',
    config='configs/fnac_r18_synthav.py',
)
