"""The token-mix contract: what a recognizer calls between the backbone's ``embed`` and ``encode``.

A mix module decides, for a batch of B clips whose patch tokens lie on a ``(T, H', W')`` grid,
which clip each clip is mixed with (``partner``), which token positions keep the clip's own
tokens (``mask``) and the weight ``lam`` of the clip in the mixed target. It never sees the
tokens; the recognizer applies the decision::

    tokens = backbone.embed(imgs)                                   # (B, T, N, D)
    out = mixer(B, backbone.grid(imgs.shape), tokens.device, context)
    mixed = mix_tokens(tokens, tokens[out.partner], out.mask)       # (B, T, N, D)
    feats = backbone.encode(mixed)                                  # (B, D)
    y_mix = mix_targets(y, out.lam, out.partner)                    # (B, C)
    w_mix = mix_weights(passed, out.lam, out.partner)               # (B,)

Audio mixup uses the same ``lam`` and ``partner``. Subclasses: :class:`TubeTokenMix` (SVFormer)
and the audio-guided mixer, which reads per-frame localization maps from ``context``.
"""

from __future__ import annotations

from typing import Any, ClassVar, NamedTuple

import torch
from torch import Tensor

from .rng import SeededModule


class MixOutput(NamedTuple):
    """A mix module's decision for one batch.

    Attributes:
        mask (Tensor): ``(B, T, N)`` bool, True = this token position keeps clip A's token
            (clip A = the batch element itself), False = it takes clip ``partner``'s token.
            ``N = H' * W'`` in row-major order, the order of the backbone's patch tokens.
        lam (Tensor): ``(B,)`` float32, the weight of clip A in the mixed target and weight.
        partner (Tensor): ``(B,)`` long, index of clip B for each clip A (a permutation of the
            batch; it may map a clip to itself).
    """

    mask: Tensor
    lam: Tensor
    partner: Tensor


class BaseTokenMix(SeededModule):
    """Base class of the token-mix modules: a private generator and the call contract.

    All randomness of a mix module comes from its own CPU generator (see
    :class:`~avssl.models.mixers.rng.ModuleGenerator`): seeded from ``seed`` or, when None,
    lazily from ``torch.initial_seed()`` at first use, folded with the DDP rank so that every
    rank draws its own mixes. Its state is part of the module's state dict
    (``get_extra_state`` / ``set_extra_state``, key ``<prefix>_extra_state``), so a resumed run
    draws the same masks as an uninterrupted one. The module has no parameters or
    buffers; keep it out of modules that an EMA averages with ``update_buffers=True`` (that
    averaging reads every state-dict value as a tensor).

    Subclasses implement :meth:`forward` and list in :attr:`context_keys` the ``context`` keys
    they read (empty: the recognizer need not compute any context, e.g. run no localizer).

    Args:
        seed (int | None): Seed of the module's generator; None = ``torch.initial_seed()`` at
            first use (plus a per-class salt). Defaults to None.
    """

    #: Keys of ``context`` this mixer reads; empty when it needs none.
    context_keys: ClassVar[tuple[str, ...]] = ()

    def __init__(self, seed: int | None = None) -> None:
        super().__init__(seed)

    @staticmethod
    def check_call(batch_size: int, grid: tuple[int, int, int]) -> tuple[int, int, int]:
        """Validate the call arguments shared by all mixers.

        Args:
            batch_size (int): Number of clips B, >= 1.
            grid (tuple[int, int, int]): Token grid ``(T, H', W')``, all >= 1.

        Returns:
            tuple[int, int, int]: ``grid`` as ints.

        Raises:
            ValueError: If ``batch_size`` or a grid entry is not a positive int.
        """
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f'batch_size must be a positive int, got {batch_size!r}')
        if len(grid) != 3 or any(int(g) != g or g < 1 for g in grid):
            raise ValueError(f"grid must be (T, H', W') with positive ints, got {grid!r}")
        t, h, w = (int(g) for g in grid)
        return t, h, w

    def forward(
        self,
        batch_size: int,
        grid: tuple[int, int, int],
        device: torch.device | str | None = None,
        context: dict[str, Any] | None = None,
    ) -> MixOutput:
        """Draw the mix of one batch.

        Args:
            batch_size (int): Number of clips B.
            grid (tuple[int, int, int]): Token grid ``(T, H', W')`` of the backbone
                (``MixableTimeSformer.grid(imgs.shape)``); ``N = H' * W'``.
            device (torch.device | str | None): Device of the returned tensors. Defaults to
                None (CPU).
            context (dict[str, Any] | None): Extra per-batch inputs named in
                :attr:`context_keys` (e.g. localization maps). Defaults to None.

        Returns:
            MixOutput: ``mask`` ``(B, T, N)`` bool, ``lam`` ``(B,)`` float32 and ``partner``
            ``(B,)`` long, on ``device``.
        """
        raise NotImplementedError
