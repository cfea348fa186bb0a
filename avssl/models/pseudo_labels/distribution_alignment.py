"""Distribution alignment of the teacher's class probabilities (ReMixMatch)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from mmengine.dist import all_reduce, get_world_size
from torch import Tensor, nn

from avssl.registry import MODELS


@MODELS.register_module()
class DistributionAlignment(nn.Module):
    """Pull the teacher's average prediction on unlabeled clips towards a target marginal.

    A teacher trained on a few labels tends to predict some classes far more often than the
    unlabeled set holds them, and its pseudo-labels then teach the student the same bias.
    Distribution alignment (Berthelot et al., ReMixMatch, 2020) rescales every probability
    vector by how far the teacher's running average prediction ``m`` is from the class
    marginal ``p`` the unlabeled set is expected to have, and renormalises:

        ``q_ic = probs_ic * p_c / m_c / sum_c' (probs_ic' * p_c' / m_c')``

    ``m`` is an exponential moving average of the batch mean of the teacher's (unaligned)
    probabilities, ``m <- momentum * m + (1 - momentum) * mean_i probs_i``, starting at the
    uniform vector. :meth:`forward` first updates ``m`` with the batch (in a distributed run
    the batch mean over all ranks, so every rank keeps the same state) and then aligns the
    batch, as ReMixMatch and the USB library do. The aligned vectors are what the threshold
    module, the pseudo-labels (their argmax) and the mix targets see.

    State: ``model_marginal`` ``(C,)`` (``m``) and ``target`` ``(C,)`` (``p``), persistent float32
    buffers, so checkpoints save them and a resumed run continues with the same ``m``.

    Args:
        num_classes (int | None): Number of classes ``C``; the model that builds the module
            fills it in from its head. Defaults to None (then required at first use).
        momentum (float): EMA decay of ``m`` in ``[0, 1)``. 0.999 (USB's) suits runs of
            hundreds of thousands of iterations; the tiny SynthAV runs (400 iterations) use
            0.99, a horizon of about 100 batches. Defaults to 0.999.
        target (Sequence[float] | None): The expected class marginal ``p`` of the unlabeled
            set (normalised here); None (default) for the uniform one, which the k-shot splits
            and the balanced data sets here have.
    """

    def __init__(
        self,
        num_classes: int | None = None,
        momentum: float = 0.999,
        target: Sequence[float] | None = None,
    ) -> None:
        super().__init__()
        if num_classes is not None and (not isinstance(num_classes, int) or num_classes < 1):
            raise ValueError(f'num_classes must be a positive int or None, got {num_classes!r}')
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f'momentum must lie in [0, 1), got {momentum!r}')
        self.momentum = momentum
        self._target_values = None if target is None else [float(v) for v in target]
        if self._target_values is not None:
            if any(v <= 0 for v in self._target_values):
                raise ValueError(f'target must be positive class frequencies, got {target!r}')
            if num_classes is not None and len(self._target_values) != num_classes:
                raise ValueError(
                    f'target has {len(self._target_values)} values but num_classes is {num_classes}'
                )
        self.num_classes = num_classes
        self.register_buffer('model_marginal', torch.empty(0))
        self.register_buffer('target', torch.empty(0))
        if num_classes is not None:
            self._init_state()

    def _init_state(self) -> None:
        num_classes = self._require_num_classes()
        if self._target_values is not None and len(self._target_values) != num_classes:
            raise ValueError(
                f'target has {len(self._target_values)} values but num_classes is {num_classes}'
            )
        device = self.model_marginal.device
        self.model_marginal = torch.full((num_classes,), 1.0 / num_classes, device=device)
        if self._target_values is None:
            self.target = torch.full((num_classes,), 1.0 / num_classes, device=device)
        else:
            values = torch.tensor(self._target_values, device=device)
            self.target = values / values.sum()

    def _require_num_classes(self) -> int:
        if self.num_classes is None:
            raise RuntimeError(
                'DistributionAlignment.num_classes is None: the model that builds it must pass '
                "its head's class count (dist_align_cfg num_classes)"
            )
        return self.num_classes

    def _state_ready(self, probs: Tensor) -> None:
        num_classes = self._require_num_classes()
        if self.model_marginal.numel() == 0:
            self._init_state()
        if probs.dim() != 2 or probs.shape[1] != num_classes:
            raise ValueError(
                f'DistributionAlignment expects probabilities of shape (B, {num_classes}), '
                f'got {tuple(probs.shape)}'
            )

    def align(self, probs: Tensor) -> Tensor:
        """Align ``probs`` ``(B, C)`` with the current state; changes no state.

        Returns:
            Tensor: ``(B, C)`` rows summing to 1, dtype of ``probs``.
        """
        self._state_ready(probs)
        ratio = (self.target / self.model_marginal).to(probs.device)
        aligned = probs.float() * ratio
        return (aligned / aligned.sum(dim=1, keepdim=True)).to(probs.dtype)

    @torch.no_grad()
    def update(self, probs: Tensor) -> None:
        """Move ``m`` towards the batch mean of ``probs`` ``(B, C)`` over every rank.

        In a distributed run every rank must call it once per step (a rank with no clip passes
        a ``(0, C)`` batch); a step where no rank has a clip leaves ``m`` unchanged.
        """
        self._state_ready(probs)
        stats = torch.cat(
            [probs.detach().float().sum(dim=0), probs.new_tensor([probs.shape[0]]).float()]
        )
        if get_world_size() > 1:
            all_reduce(stats, op='sum')
        count = float(stats[-1])
        if count == 0:
            return
        batch_mean = stats[:-1].to(self.model_marginal.device) / count
        self.model_marginal.mul_(self.momentum).add_(batch_mean, alpha=1.0 - self.momentum)

    def forward(self, probs: Tensor, update: bool = True) -> Tensor:
        """Update ``m`` with the batch (unless ``update`` is False), then align the batch."""
        if update:
            self.update(probs)
        return self.align(probs)

    def _load_from_state_dict(self, state_dict: dict, prefix: str, *args, **kwargs) -> None:
        # a freshly built module without num_classes holds empty buffers: take the saved size
        for name in ('model_marginal', 'target'):
            saved = state_dict.get(prefix + name)
            if saved is not None and getattr(self, name).shape != saved.shape:
                setattr(self, name, torch.empty_like(saved, device=getattr(self, name).device))
                if self.num_classes is None and saved.dim() == 1:
                    self.num_classes = int(saved.numel())
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)
