"""Refuse to load a checkpoint that does not fit the model, instead of loading part of it."""

from __future__ import annotations

from collections.abc import Sequence

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

from avssl.registry import HOOKS
from avssl.utils.safe_load import last_loaded_source
from avssl.utils.state_dict_fit import check_checkpoint_fits


@HOOKS.register_module()
class CheckpointFitHook(Hook):
    """Check a loaded checkpoint's keys and shapes against the model before mmengine loads it.

    The Runner loads ``load_from`` (``tools/test.py CHECKPOINT``) and ``--resume`` checkpoints
    with ``strict=False``: a checkpoint of another model (an FNAC file given to an audio-visual
    recognizer) loads nothing but a warning, and the model is tested with random weights. In
    ``after_load_checkpoint``, which the Runner calls between reading the file and loading it
    into the model, this hook raises
    :class:`~avssl.utils.state_dict_fit.CheckpointMismatchError` with the numbers of missing
    and unexpected keys and of shape mismatches, and a few of each.

    ``tools/train.py`` and ``tools/test.py`` add this hook to every config that does not list
    it. To initialise part of a model on purpose (e.g. ``load_from`` a checkpoint with another
    number of classes), list it with the keys to leave out.

    Args:
        ignore_keys (Sequence[str]): Regular expressions (``re.match``) of model / checkpoint
            keys that may be missing, unexpected or resized, e.g. ``[r'cls_head\\.']``.
            Defaults to none.
    """

    priority = 'VERY_HIGH'

    def __init__(self, ignore_keys: Sequence[str] = ()) -> None:
        self.ignore_keys = list(ignore_keys)

    def after_load_checkpoint(self, runner: Runner, checkpoint: dict) -> None:
        """Raise if ``checkpoint`` does not fit ``runner.model``."""
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        source = last_loaded_source() or 'being loaded'
        check_checkpoint_fits(model, checkpoint, source, self.ignore_keys)
