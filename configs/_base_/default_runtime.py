# Runtime shared by every avssl config: mmaction2's runtime, avssl scope, CPU-safe DDP,
# random states in checkpoints, a different seed on every rank (the RNG of the mixers, the
# warp and dropout; the data order stays shared, as mmengine seeds the sampler from rank 0).
_base_ = ['mmaction::_base_/default_runtime.py']

default_scope = 'avssl'

# mmaction2's default hooks without SyncBuffersHook: the transformers here have no running
# statistics, and averaging the threshold modules' integer state across ranks would break it
# (ThresholdHook keeps it identical on every rank by gathering instead). `_delete_` is needed
# because a merge can only add or change keys: without it mmaction2's `sync_buffers` entry stays.
default_hooks = dict(
    _delete_=True,
    runtime_info=dict(type='RuntimeInfoHook'),
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=10, ignore_last=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', interval=1000, by_epoch=False, max_keep_ckpts=3),
    sampler_seed=dict(type='DistSamplerSeedHook'),
)
custom_hooks = [dict(type='RandomStateHook')]

# tools/train.py starts a gloo group itself on machines without CUDA; GPUs keep NCCL.
env_cfg = dict(dist_cfg=dict(backend='nccl'))
# The Runner looks wrappers up in mmengine's root registry, which does not see avssl's (a
# grandchild): hence the import path, which mmengine's Registry.get resolves.
model_wrapper_cfg = dict(
    type='avssl.engine.AnyDeviceDistributedDataParallel', broadcast_buffers=False
)

log_processor = dict(type='LogProcessor', window_size=10, by_epoch=False)
randomness = dict(seed=0, diff_rank_seed=True, deterministic=False)
