"""Necks: fusion of the video and audio embeddings."""

from .concat_fusion import ConcatFusion
from .frame_aligned_sync import FrameAlignedSyncHead, centred_window_slots
from .source_concat_fusion import SourceConcatFusion
from .source_map_pooling import SourceMapPooling
from .source_pool_fusion import SourcePoolFusion
from .sync_pool_fusion import SyncPoolFusion
from .transformer_fusion import TransformerFusion

__all__ = [
    'ConcatFusion',
    'FrameAlignedSyncHead',
    'SourceConcatFusion',
    'SourceMapPooling',
    'SourcePoolFusion',
    'SyncPoolFusion',
    'TransformerFusion',
    'centred_window_slots',
]
