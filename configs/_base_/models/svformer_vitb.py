# SVFormer's model with a ViT-B/16 TimeSformer (divided space-time attention, 8x224x224 clips):
# student + EMA teacher, temporal warping, MSE mix loss (docs/method.md sections 2 and 3). The
# backbone starts from an ImageNet ViT-B/16 converted by tools/model_converters/
# vit_to_timesformer.py (docs/svformer_components.md; nothing is downloaded at run time). The
# configs set the number of classes, the threshold, the mix and the loss weights.
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
