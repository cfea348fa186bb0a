# The paper's audio-visual network at full size (docs/method.md section 4.1), as overrides of the
# SVFormer ViT-B network (configs/_base_/models/svformer_vitb.py): an AST-style ViT-B/16 audio
# encoder over the 256x128 log-mel of 2.56 s (initialisable from a local image-ViT file:
# timm key names, nothing is downloaded) and six ViT-B-width fusion layers over the two class
# tokens; the head reads the first fused token. Trainable parameters per network: 249.2M
# (video 121.3M + audio 85.4M + fusion 42.5M + head; 7 layers would give 256.3M), beside the
# paper's 254M (docs/method.md).
# Use: model = dict(network={{_base_.avssl_vitb_network}}) in a config that inherits it.
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
# The visual-audio contrastive loss (docs/method.md section 4.4): both encoders are 768 wide, so no
# projection; temperature 0.07; weight gamma3 = 0.1.
avssl_contrast_cfg = dict(
    type='AVContrastiveLoss', video_dims=768, audio_dims=768, temperature=0.07
)
# The frozen localizer of the ASL-guided mix at the paper's sizes (configs/_base_/models/
# fnac_r18.py: ResNet-18 streams, 7x7 map at 224, embedding 512): an official FNAC release
# converted with `python tools/model_converters/fnac_to_avssl.py SRC DST`, or the last checkpoint
# of an FNAC trained with this toolkit. Read at train start, never at construction.
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
