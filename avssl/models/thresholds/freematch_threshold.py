"""FreeMatch's self-adaptive thresholds: EMAs of the teacher's confidence and class marginal."""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from avssl.registry import MODELS

from .base_threshold import BaseThreshold


@MODELS.register_module()
class FreeMatchThreshold(BaseThreshold):
    """Self-adaptive global and class thresholds (FreeMatch, Wang et al. 2023).

    State (persistent float32 buffers, saved with the model): the global threshold
    ``global_threshold`` (scalar), an exponential moving average of the batch mean of the
    teacher's confidence ``max_c probs_ic``, starting at ``1/C``; and ``class_probs`` ``(C,)``,
    an EMA of the batch mean probability vector, starting at ``1/C`` each. Each update (on the
    batch gathered from all ranks) does ``x <- momentum * x + (1 - momentum) * batch_mean``.

    The class threshold is ``T_c = global_threshold * class_probs_c / max_c' class_probs_c'``
    and a pseudo-label passes when ``max_c probs_ic >= T_{argmax_i}``.

    Args:
        num_classes (int | None): Number of classes ``C``; the model fills it in from its head.
            Defaults to None (the state is then allocated at first use or from a state dict).
        momentum (float): EMA decay in ``[0, 1)``. Defaults to 0.999 (FreeMatch's).
        tau (float | None): Unused: FreeMatch has no base threshold. Accepted so that a
            ``threshold_cfg`` written for another module still builds after changing only its
            ``type``. Defaults to None.
    """

    _resizable_buffers = ('global_threshold', 'class_probs')

    def __init__(
        self, num_classes: int | None = None, momentum: float = 0.999, tau: float | None = None
    ) -> None:
        super().__init__(num_classes=num_classes, tau=tau)
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f'momentum must lie in [0, 1), got {momentum!r}')
        self.momentum = momentum
        self.register_buffer('global_threshold', torch.empty(0))
        self.register_buffer('class_probs', torch.empty(0))
        if num_classes is not None:
            self._init_state()

    def _init_state(self) -> None:
        num_classes = self._require_num_classes()
        device = self.class_probs.device
        self.global_threshold = torch.tensor(1.0 / num_classes, device=device)
        self.class_probs = torch.full((num_classes,), 1.0 / num_classes, device=device)

    def _state_ready(self) -> None:
        """Allocate the state at first use when ``num_classes`` was set after construction."""
        num_classes = self._require_num_classes()
        if self.class_probs.numel() == 0:
            self._init_state()
        elif self.class_probs.numel() != num_classes:
            raise RuntimeError(
                f'FreeMatchThreshold state has {self.class_probs.numel()} classes but '
                f'num_classes is {num_classes}'
            )

    def class_thresholds(self) -> Tensor:
        """See :meth:`BaseThreshold.class_thresholds`: ``global * p_c / max p``."""
        self._state_ready()
        return self.global_threshold * self.class_probs / self.class_probs.max()

    def mask(self, probs: Tensor, indices: Tensor | None = None) -> Tensor:
        """See :meth:`BaseThreshold.mask`: ``max prob >= T_{argmax}``."""
        return self._mask_by_class(probs, indices)

    def _update(self, probs: Tensor, indices: Tensor | None) -> None:
        self._state_ready()
        if probs.shape[0] == 0:
            return
        probs = probs.float().to(self.class_probs.device)
        weight = 1.0 - self.momentum
        self.global_threshold.mul_(self.momentum).add_(weight * probs.amax(dim=1).mean())
        self.class_probs.mul_(self.momentum).add_(weight * probs.mean(dim=0))

    def _load_from_state_dict(
        self,
        state_dict: dict[str, Any],
        prefix: str,
        local_metadata: dict,
        strict: bool,
        missing_keys: list[str],
        unexpected_keys: list[str],
        error_msgs: list[str],
    ) -> None:
        saved = state_dict.get(prefix + 'class_probs')
        if isinstance(saved, Tensor) and saved.numel() > 0:
            if self.num_classes is None:
                self.num_classes = saved.numel()
            elif saved.numel() != self.num_classes:
                error_msgs.append(
                    f'FreeMatchThreshold: the state dict holds {saved.numel()} classes, '
                    f'the module {self.num_classes}'
                )
                return
        super()._load_from_state_dict(
            state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs
        )

    def extra_repr(self) -> str:
        return f'num_classes={self.num_classes}, momentum={self.momentum}'
