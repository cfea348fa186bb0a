"""avssl: semi-supervised audio-visual video action recognition on mmengine and mmaction2.

Importing the package registers the checkpoint allow-list that torch >= 2.6 needs to load
mmengine checkpoints with ``weights_only=True`` (see :mod:`avssl.utils.checkpoint_compat`).
"""

from .utils.checkpoint_compat import register_checkpoint_safe_globals
from .version import __version__

register_checkpoint_safe_globals()

__all__ = ['__version__', 'register_checkpoint_safe_globals']
