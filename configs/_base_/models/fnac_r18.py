# FNAC (docs/method.md section 5; docs/fnac.md) at the paper's sizes: ResNet-18 visual stream on
# 224x224 frames (7x7 grid with the torchvision stride 2 in layer4), dropout 0.9, 1x1 projection
# to 512; ResNet-18 audio stream (1-channel stem) on the 257x200 log spectrogram of 3 s at
# 16 kHz (512-point window, hop 238, log(S + 1e-7) / 12), max pool, linear to 512; tau 0.03;
# 100 x each of the three FNAC terms after the warm-up. SynthAV configs shrink it.
model = dict(
    type='FNAC',
    embed_dim=512,
    tau=0.03,
    width_mult=1.0,
    visual_last_stride=2,
    input_size=(224, 224),
    visual_dropout=0.9,
    audio_dropout=0.0,
    spectrogram=dict(sample_rate=16000, n_fft=512, hop_length=238, eps=1e-7, divisor=12.0),
    # FNAC's loader masks one frequency band and one time span (width < 10) in training;
    # swapped_starts=True reproduces its start-range quirk (docs/fnac.md).
    spec_mask=dict(freq_width=10, time_width=10, swapped_starts=False),
    fg_threshold=0.6,
    fg_pool='masked',  # 'grid': FNAC's code (sum over the foreground / all h*w locations)
    infonce_reduction='sum',  # both InfoNCE directions added, as FNAC's code
    loss_weights=dict(fn_audio=100.0, tn=100.0, fn_image=100.0),
    warmup_iters=0,  # the paper: 5 epochs; set per schedule
    visual_pretrained=None,  # local torchvision ResNet-18 ImageNet file, if any
    data_preprocessor=dict(
        type='AVDataPreprocessor',
        mean=[123.675, 116.28, 103.53],  # ImageNet, x 255 (not the classifier's 0.45/0.225)
        std=[58.395, 57.12, 57.375],
        format_shape='NCHW',
    ),
)
