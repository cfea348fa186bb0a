# the method (V+A+ASL+C), 1 shot, 800 iterations (avssl_tiny_synthav_1shot_auxsum_mdrop_gate_it800.py) with the synchrony-pooling
# fusion (SyncPoolFusion) in place of the class-token fusion: every audio-visual row of the
# 1-shot grid has a *_syncpool twin, identical but for the neck (docs/reproduction.md,
# "The synchrony-pooling fusion"). Written on the 1-shot config (two levels of bases at
# most), so it restates the it800 settings.
_base_ = ['../avssl_tiny_synthav_1shot.py']

model = dict(
    network=dict(
        aux_head=dict(
            type='UnimodalAuxHead', video_dims=96, audio_dims=96, loss_weight=1.0, fuse_weight=1.0
        ),
        modality_dropout=0.5,
        # The fusion with the synchrony-pooled source token (SyncPoolFusion): both backbones
        # return all their tokens, the class-token fusion is unchanged, and the patches whose
        # tokens pulse with the audio of the same times are pooled and added. Slots: the audio
        # time patch of each frame (avssl.models.necks.centred_window_slots(8, 8, 25)). The
        # synchrony head starts from the synchrony task on the pretraining classes, encoders
        # frozen at their shipped starts (docs/pretraining.md).
        backbone=dict(output='tokens'),
        audio_backbone=dict(output='tokens'),
        neck=dict(
            type='SyncPoolFusion',
            num_frames=8,
            audio_grid=(16, 8),
            slots=[0, 2, 4, 6, 8, 10, 12, 14],
            sync_checkpoint='checkpoints/synthav_pretrained/av_sync_head_tiny_synthav20.pth',
        ),
    ),
    pseudo_label_gate_cfg=dict(type='ModalityGate', modality='audio'),
)
train_cfg = dict(max_iters=800)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=40),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=40, end=800, eta_min=1e-5),
]
