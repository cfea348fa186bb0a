"""Necks: fusion of the video and audio embeddings."""

from .concat_fusion import ConcatFusion
from .frame_aligned_sync import FrameAlignedSyncHead, centred_window_slots
from .sync_pool_fusion import SyncPoolFusion
from .transformer_fusion import TransformerFusion

__all__ = [
    'ConcatFusion',
    'FrameAlignedSyncHead',
    'SyncPoolFusion',
    'TransformerFusion',
    'centred_window_slots',
]
