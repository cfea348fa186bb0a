# avssl_tiny_synthav_5shot_auxsum_w2.py with the presence-pretrained video
# start (docs/pretraining.md): the tiny image ViT trained to name every object of a frame
# (multi-label) instead of the sounding one, chosen on 5-shot val (docs/reproduction.md, "A
# presence-pretrained video start"); everything else the row's. Written on the 1-shot config
# (two levels of bases at most), so it restates the 5-shot lists, warm-up, weights and heads.
_base_ = ['../avssl_tiny_synthav_1shot.py']

train_dataloader = dict(
    dataset=dict(
        labeled=dict(ann_file='train_labeled_5shot.txt'),
        unlabeled=dict(ann_file='train_unlabeled_5shot.txt'),
    )
)
model = dict(
    unsup_start_iter=200,
    gamma1=2.0,
    gamma2=2.0,
    network=dict(
        backbone=dict(
            pretrained='checkpoints/synthav_pretrained/vit_tiny_p16_112_synthav20_presence.pth'
        ),
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        ),
    ),
)
