"""Models: recognizers, backbones, necks, heads, mixers, localizers, thresholds, losses,
pseudo-label alignment."""

from .augment import *  # noqa: F401,F403
from .backbones import *  # noqa: F401,F403
from .data_preprocessors import *  # noqa: F401,F403
from .heads import *  # noqa: F401,F403
from .localizers import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .mixers import *  # noqa: F401,F403
from .necks import *  # noqa: F401,F403
from .pseudo_labels import *  # noqa: F401,F403
from .recognizers import *  # noqa: F401,F403
from .thresholds import *  # noqa: F401,F403
