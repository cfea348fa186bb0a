"""Prepare the real data sets (UCF-51, Kinetics-400 with audio, VGGSound) into avssl folders.

The tools in ``tools/data/{ucf51,k400,vggsound}/prepare.py`` are thin command lines over
:func:`prepare_ucf51`, :func:`prepare_k400` and :func:`prepare_vggsound`, which read each data
set's official annotation and share :func:`prepare_dataset`: probe every file (in parallel,
cached), drop unusable clips with a reason, split, compute the audio statistics and write the
folder (``docs/datasets.md``).
"""

from .audio_stats import AudioStats, compute_audio_stats, pick_stats_clips, stats_payload
from .clip_record import CLASS_DROPPED, CLASS_NOT_SELECTED, Clip
from .kinetics import prepare_k400, read_kinetics_clips
from .lists import hold_out_per_class, make_lists
from .prepare_dataset import PROBE_CACHE_FILE, prepare_dataset
from .probe import ProbeResult, probe_media
from .probe_cache import ProbeCache
from .probe_files import ProbeCounts, probe_files
from .ucf51 import majority_audio_rule, prepare_ucf51
from .vggsound import prepare_vggsound, read_vggsound_clips
from .writer import REPORT_FILE, format_summary

__all__ = [
    'CLASS_DROPPED',
    'CLASS_NOT_SELECTED',
    'PROBE_CACHE_FILE',
    'REPORT_FILE',
    'AudioStats',
    'Clip',
    'ProbeCache',
    'ProbeCounts',
    'ProbeResult',
    'compute_audio_stats',
    'format_summary',
    'hold_out_per_class',
    'majority_audio_rule',
    'make_lists',
    'pick_stats_clips',
    'prepare_dataset',
    'prepare_k400',
    'prepare_ucf51',
    'prepare_vggsound',
    'probe_files',
    'probe_media',
    'read_kinetics_clips',
    'read_vggsound_clips',
    'stats_payload',
]
