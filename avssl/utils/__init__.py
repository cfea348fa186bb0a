"""Environment helpers: registration, checkpoint compatibility and safety, distributed start-up,
fault guards."""

from .atomic_io import DiskFullError
from .checkpoint_compat import CHECKPOINT_SAFE_GLOBALS, register_checkpoint_safe_globals
from .dist_env import init_cpu_distributed, launcher_rank
from .finite_check import NonFiniteError
from .guard_hooks import TEST_GUARD_HOOKS, TRAIN_GUARD_HOOKS, add_guard_hooks
from .safe_load import UnsafeCheckpointError, safe_torch_load
from .setup_env import register_all_modules
from .state_dict_fit import CheckpointMismatchError, check_checkpoint_fits
from .work_dir_lock import WorkDirInUseError, WorkDirLock

__all__ = [
    'CHECKPOINT_SAFE_GLOBALS',
    'TEST_GUARD_HOOKS',
    'TRAIN_GUARD_HOOKS',
    'CheckpointMismatchError',
    'DiskFullError',
    'NonFiniteError',
    'UnsafeCheckpointError',
    'WorkDirInUseError',
    'WorkDirLock',
    'add_guard_hooks',
    'check_checkpoint_fits',
    'init_cpu_distributed',
    'launcher_rank',
    'register_all_modules',
    'register_checkpoint_safe_globals',
    'safe_torch_load',
]
