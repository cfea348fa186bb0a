"""avssl: semi-supervised audio-visual video action recognition on mmengine and mmaction2.

Importing the package applies four fixes to the pinned stack (``docs/stack_fixes.md``): the
checkpoint allow-list that torch >= 2.6 needs to load mmengine checkpoints with
``weights_only=True`` (:mod:`avssl.utils.checkpoint_compat`), mmengine checkpoint loaders that
pass ``weights_only=True`` explicitly and refuse pickled code clearly
(:mod:`avssl.utils.safe_load`), the lookup of ``mmaction::`` base configs
(:mod:`avssl.utils.config_compat`), and atomic checkpoint writes (:mod:`avssl.utils.atomic_io`).
"""

import warnings

# mmcv-lite (the pinned mmcv) has no compiled ops; nothing in avssl uses the deformable attention
# whose missing import mmcv announces on every start.
warnings.filterwarnings('ignore', message='Fail to import ``MultiScaleDeformableAttention``')

from .utils.atomic_io import patch_local_backend_atomic_writes  # noqa: E402
from .utils.checkpoint_compat import register_checkpoint_safe_globals  # noqa: E402
from .utils.config_compat import patch_external_config_lookup  # noqa: E402
from .utils.safe_load import patch_mmengine_checkpoint_loaders  # noqa: E402
from .version import __version__  # noqa: E402

register_checkpoint_safe_globals()
patch_external_config_lookup()
patch_local_backend_atomic_writes()
patch_mmengine_checkpoint_loaders()

__all__ = ['__version__', 'register_checkpoint_safe_globals']
