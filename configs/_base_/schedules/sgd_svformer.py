# SVFormer's optimiser for the ViT-B configs (docs/method.md section 7): SGD, momentum 0.9,
# Nesterov, lr 0.005 for an effective batch of 64 labeled + 320 unlabeled clips, weight decay
# 1e-4 (none on class token and embeddings), gradients clipped at L2 norm 40. Written for
# `tools/dist_train.sh CONFIG 2`: 2 processes x (1 + 5) clips x 32 accumulated iterations; with
# P processes set `optim_wrapper.accumulative_counts` to 64 / P. Each config sets its length
# and lr steps (max_iters, train_cfg, param_scheduler).
accumulative_counts = 32
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.005, momentum=0.9, nesterov=True, weight_decay=1e-4),
    accumulative_counts=accumulative_counts,
    paramwise_cfg=dict(
        custom_keys={
            '.cls_token': dict(decay_mult=0.0),
            '.pos_embed': dict(decay_mult=0.0),
            '.time_embed': dict(decay_mult=0.0),
        }
    ),
    clip_grad=dict(max_norm=40, norm_type=2),
)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
