"""Class-balanced percentile thresholds: pass the teacher's surest share of every class."""

from __future__ import annotations

import torch
from torch import Tensor

from avssl.registry import MODELS

from .base_threshold import BaseThreshold


@MODELS.register_module()
class PercentileThreshold(BaseThreshold):
    """Pass the top ``ratio`` of the teacher's guesses by confidence, class by class.

    A threshold by rank instead of by value, as in class-balanced self-training (CBST, Zou et
    al. 2018) and curriculum labelling (Cascante-Bonilla et al. 2021): it needs no calibrated
    confidence, only one that ranks the guesses, so it keeps working while the teacher is
    under-confident (every confidence below a fixed threshold) or over-confident (every one
    above it).

    State (persistent buffers of the unlabeled set's size ``N``, saved with the model):
    ``confidence`` ``(N,)`` float32 and ``label`` ``(N,)`` int64, the latest teacher confidence
    ``max_c probs_ic`` and class ``argmax_c probs_ic`` recorded for every unlabeled sample
    ``i`` (-1 before any). With ``n_c`` the number of samples whose latest class is ``c`` and
    ``k_c = max(1, ceil(ratio * n_c))``, the class threshold ``T_c`` is the ``k_c``-th largest
    confidence among them (``class_balanced=True``), or the ``k``-th largest among all recorded
    samples for every class (``class_balanced=False``, ``k`` from the count of all of them). A
    class with no record has ``T_c = 1``. A pseudo-label passes when
    ``max_c probs_ic >= T_{argmax_i}``, so about ``ratio`` of every class passes; classes the
    teacher rarely predicts keep their share instead of being crowded out by the easy ones.

    Args:
        num_classes (int | None): Number of classes ``C``; the model fills it in from its head.
            Defaults to None (then required at first use).
        ratio (float): Share of each class's recorded samples that passes, in ``(0, 1]``.
            Defaults to 0.2.
        class_balanced (bool): One percentile per class (True) or one over all samples
            (False). Defaults to True.
        num_samples (int | None): Size ``N`` of the unlabeled set; None to call :meth:`setup`
            later (``ThresholdHook`` does this before the run). Defaults to None.
        tau (float | None): Unused: the thresholds come from ranks. Accepted so that a
            ``threshold_cfg`` written for another module still builds after changing only its
            ``type``. Defaults to None.
    """

    needs_num_samples = True
    _resizable_buffers = ('confidence', 'label')

    def __init__(
        self,
        num_classes: int | None = None,
        ratio: float = 0.2,
        class_balanced: bool = True,
        num_samples: int | None = None,
        tau: float | None = None,
    ) -> None:
        super().__init__(num_classes=num_classes, tau=tau, num_samples=num_samples)
        if isinstance(ratio, bool) or not isinstance(ratio, (int, float)) or not 0 < ratio <= 1:
            raise ValueError(f'PercentileThreshold ratio must lie in (0, 1], got {ratio!r}')
        self.ratio = float(ratio)
        self.class_balanced = bool(class_balanced)
        self.register_buffer('confidence', torch.empty(0))
        self.register_buffer('label', torch.empty(0, dtype=torch.long))
        if num_samples is not None:
            self.setup(num_samples)

    @property
    def num_samples(self) -> int | None:
        """int | None: Size ``N`` of the per-sample state; None before :meth:`setup`."""
        return self.label.numel() or None

    def setup(self, num_samples: int) -> None:
        """Allocate the per-sample records for ``num_samples`` items, all empty (-1).

        Args:
            num_samples (int): Size ``N`` of the unlabeled set.
        """
        self._check_num_samples(num_samples)
        device = self.label.device
        self.confidence = torch.full((num_samples,), -1.0, device=device)
        self.label = torch.full((num_samples,), -1, dtype=torch.long, device=device)

    def _rank(self, counts: Tensor) -> Tensor:
        """``max(1, ceil(ratio * n))`` for every count, robust to float rounding."""
        ranks = torch.ceil(counts.double() * self.ratio - 1e-9).long()
        return ranks.clamp(min=1)

    def class_thresholds(self) -> Tensor:
        """See :meth:`BaseThreshold.class_thresholds`: the per-class percentile."""
        num_classes = self._require_num_classes()
        self._require_setup()
        recorded = self.label >= 0
        labels = self.label[recorded]
        confidence = self.confidence[recorded].float()
        thresholds = torch.ones(num_classes, device=self.label.device)
        if labels.numel() == 0:
            return thresholds
        if int(labels.max()) >= num_classes:
            raise RuntimeError(
                f'PercentileThreshold state holds class {int(labels.max())} but num_classes is '
                f'{num_classes}: was it loaded from a model with more classes?'
            )
        if not self.class_balanced:
            rank = self._rank(torch.tensor(labels.numel()))
            return thresholds.fill_(torch.sort(confidence, descending=True).values[rank - 1])
        # Group the records by class, each group in descending confidence: sort by confidence
        # first, then (stably) by class.
        by_confidence = torch.argsort(confidence, descending=True, stable=True)
        by_class = torch.argsort(labels[by_confidence], stable=True)
        grouped = confidence[by_confidence][by_class]
        counts = torch.bincount(labels, minlength=num_classes)
        starts = torch.cumsum(counts, 0) - counts
        present = counts > 0
        picks = (starts + self._rank(counts) - 1)[present]
        thresholds[present] = grouped[picks]
        return thresholds

    def mask(self, probs: Tensor, indices: Tensor | None = None) -> Tensor:
        """See :meth:`BaseThreshold.mask`: ``max prob >= T_{argmax}``.

        Raises:
            RuntimeError: If the state was never set up.
            IndexError: If an index lies outside ``[0, N)``.
        """
        return self._mask_by_class(probs, indices)

    def _update(self, probs: Tensor, indices: Tensor | None) -> None:
        """Record every sample's latest confidence and class from the gathered batch.

        ``confidence[indices_j]`` and ``label[indices_j]`` take the batch's values; when one
        index occurs several times, the last occurrence wins. An index outside ``[0, N)``
        raises an IndexError.
        """
        assert indices is not None
        if indices.numel() == 0:
            return
        self._check_range(indices)
        confidence, label = probs.float().max(dim=1)
        indices = indices.to(self.label.device)
        unique, last = self._last_occurrences(indices)
        self.confidence[unique] = confidence.to(self.confidence.device)[last]
        self.label[unique] = label.to(self.label.device)[last]

    def extra_repr(self) -> str:
        return (
            f'num_classes={self.num_classes}, ratio={self.ratio}, '
            f'class_balanced={self.class_balanced}'
        )
