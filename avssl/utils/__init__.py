"""Environment helpers: registration, checkpoint compatibility, distributed start-up."""

from .checkpoint_compat import CHECKPOINT_SAFE_GLOBALS, register_checkpoint_safe_globals
from .dist_env import init_cpu_distributed
from .setup_env import register_all_modules

__all__ = [
    'CHECKPOINT_SAFE_GLOBALS',
    'init_cpu_distributed',
    'register_all_modules',
    'register_checkpoint_safe_globals',
]
