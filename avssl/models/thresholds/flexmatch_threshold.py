"""FlexMatch's curriculum pseudo-labelling: per-class thresholds from the learning status."""

from __future__ import annotations

import torch
from torch import Tensor

from avssl.registry import MODELS

from .base_threshold import BaseThreshold


@MODELS.register_module()
class FlexMatchThreshold(BaseThreshold):
    """Per-class thresholds that rise as classes are learned (FlexMatch, Zhang et al. 2021).

    State: ``selected`` ``(N,)`` int64, for every unlabeled sample ``i`` the latest class the
    teacher predicted for it with confidence ``>= tau`` (-1 before any). With
    ``sigma_c = #{i: selected_i = c}`` the learning effect of class ``c`` is

    - ``warmup=True``: ``beta_c = sigma_c / max(max_c' sigma_c', N - sum_c' sigma_c')``, so that
      thresholds stay low while most samples have never been predicted confidently;
    - ``warmup=False``: ``beta_c = sigma_c / max_c' sigma_c'`` (0 while all ``sigma`` are 0);

    and the class threshold is ``T_c = tau * M(beta_c)`` with the convex mapping
    ``M(x) = x / (2 - x)``. A pseudo-label passes when ``max_c probs_ic >= T_{argmax_i}``. At the
    start every ``beta`` is 0, so every sample passes; a class's threshold reaches ``tau`` once
    it is the best learned one.

    ``selected`` is a persistent buffer (saved and restored with the model's checkpoint) whose
    size is the unlabeled set's: :meth:`setup` allocates it (``ThresholdHook`` does this before
    the run), and loading a state dict resizes it to the saved size.

    Args:
        num_classes (int | None): Number of classes ``C``; the model fills it in from its head.
            Defaults to None (then required at first use).
        tau (float): Base threshold in ``[0, 1]``. Defaults to 0.3 (the paper's).
        num_samples (int | None): Size ``N`` of the unlabeled set; None to call :meth:`setup`
            later. Defaults to None.
        warmup (bool): Use the warm-up normaliser. Defaults to True (FlexMatch's default).
    """

    needs_num_samples = True
    _resizable_buffers = ('selected',)

    def __init__(
        self,
        num_classes: int | None = None,
        tau: float = 0.3,
        num_samples: int | None = None,
        warmup: bool = True,
    ) -> None:
        super().__init__(num_classes=num_classes, tau=tau, num_samples=num_samples)
        self.warmup = warmup
        self.register_buffer('selected', torch.empty(0, dtype=torch.long))
        if num_samples is not None:
            self.setup(num_samples)

    @property
    def num_samples(self) -> int | None:
        """int | None: Size ``N`` of the per-sample state; None before :meth:`setup`."""
        return self.selected.numel() or None

    def setup(self, num_samples: int) -> None:
        """Allocate ``selected`` for ``num_samples`` items, all unselected (-1).

        Args:
            num_samples (int): Size ``N`` of the unlabeled set.
        """
        self._check_num_samples(num_samples)
        self.selected = torch.full(
            (num_samples,), -1, dtype=torch.long, device=self.selected.device
        )

    def learning_effect(self) -> Tensor:
        """The normalised learning effect ``beta`` of every class.

        Returns:
            Tensor: ``beta``, shape ``(C,)``, float32, values in ``[0, 1]``.
        """
        num_classes = self._require_num_classes()
        num_samples = self._require_setup()
        kept = self.selected[self.selected >= 0]
        sigma = torch.bincount(kept, minlength=num_classes).float()
        if sigma.numel() != num_classes:
            raise RuntimeError(
                f'FlexMatchThreshold state holds class {int(kept.max())} but num_classes is '
                f'{num_classes}: was it loaded from a model with more classes?'
            )
        denominator = sigma.max()
        if self.warmup:
            denominator = torch.maximum(denominator, num_samples - sigma.sum())
        if denominator <= 0:
            return torch.zeros_like(sigma)
        return sigma / denominator

    def class_thresholds(self) -> Tensor:
        """See :meth:`BaseThreshold.class_thresholds`: ``tau * beta / (2 - beta)``."""
        beta = self.learning_effect()
        return self.tau * beta / (2.0 - beta)

    def mask(self, probs: Tensor, indices: Tensor | None = None) -> Tensor:
        """See :meth:`BaseThreshold.mask`: ``max prob >= T_{argmax}``.

        Raises:
            RuntimeError: If the state was never set up.
            IndexError: If an index lies outside ``[0, N)``.
        """
        return self._mask_by_class(probs, indices)

    def _update(self, probs: Tensor, indices: Tensor | None) -> None:
        """Record the class of every confidently predicted sample of the gathered batch.

        ``selected[indices_j] = argmax_j`` for the items ``j`` whose confidence is ``>= tau``;
        others leave their sample's record alone. When one index occurs several times among
        the confident items, the last one wins, as if they were applied in order
        (deterministic on every device). An index outside ``[0, N)`` raises an IndexError.
        """
        assert indices is not None
        self._check_range(indices)
        confidence, label = probs.float().max(dim=1)
        confident = confidence >= self.tau
        indices = indices[confident].to(self.selected.device)
        label = label[confident].to(self.selected.device)
        if indices.numel() == 0:
            return
        unique, last = self._last_occurrences(indices)
        self.selected[unique] = label[last]

    def extra_repr(self) -> str:
        return f'{super().extra_repr()}, warmup={self.warmup}'
