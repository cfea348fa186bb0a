"""The contract every pseudo-label threshold module follows."""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from typing import Any

import torch
from mmengine.dist import all_gather, get_world_size
from torch import Tensor, nn


class BaseThreshold(nn.Module, metaclass=ABCMeta):
    """Decide which teacher pseudo-labels count, and learn from the teacher's predictions.

    A threshold module is a small object with explicit state: everything it learns lives in
    persistent buffers, so it is saved in checkpoints with the model that owns it and restored on
    resume. :meth:`mask` is pure; :meth:`update` is the only method that changes the state, and
    it first gathers the batch from every process of a distributed run, so that all ranks apply
    the same update and keep the same state (no buffer averaging is needed or wanted).

    :class:`~avssl.engine.hooks.ThresholdHook` drives a configured module: it sizes the per-sample
    state (:meth:`setup`) before the run and calls :meth:`update` after every training iteration
    with the unlabeled items the model scored in it.

    Subclasses set the class attributes :attr:`learns` (False: :meth:`update` does nothing and
    communicates nothing), :attr:`needs_num_samples` (True: per-sample state that
    :meth:`setup` allocates) and :attr:`_resizable_buffers` (buffers whose size may differ
    between a checkpoint and a freshly built module), and implement :meth:`mask`,
    :meth:`class_thresholds` and :meth:`_update`.

    Args:
        num_classes (int | None): Number of classes ``C``. The model owning the module fills it
            in from its head; required at first use.
        tau (float | None): Base confidence threshold in ``[0, 1]``; None for modules that do
            not use one.
        num_samples (int | None): Size ``N`` of the unlabeled set, for modules with per-sample
            state; None to allocate it later with :meth:`setup`. Defaults to None.
    """

    #: Whether :meth:`update` learns anything; the hook skips modules that do not.
    learns: bool = True
    #: Whether the module keeps per-sample state and needs :meth:`setup` before use.
    needs_num_samples: bool = False
    #: Buffers that a state dict may hold at a different size; loading resizes them first.
    _resizable_buffers: tuple[str, ...] = ()

    def __init__(
        self, num_classes: int | None, tau: float | None, num_samples: int | None = None
    ) -> None:
        super().__init__()
        if num_classes is not None and (not isinstance(num_classes, int) or num_classes < 1):
            raise ValueError(f'num_classes must be a positive int or None, got {num_classes!r}')
        if tau is not None and not 0.0 <= tau <= 1.0:
            raise ValueError(f'tau must lie in [0, 1], got {tau!r}')
        if num_samples is not None:
            self._check_num_samples(num_samples)
        self.num_classes = num_classes
        self.tau = tau

    # ----------------------------------------------------------------------------- public API
    @property
    def num_samples(self) -> int | None:
        """int | None: Size of the per-sample state; None when there is none (yet)."""
        return None

    def setup(self, num_samples: int) -> None:
        """(Re)allocate the per-sample state for an unlabeled set of ``num_samples`` items.

        Any state learned so far is discarded. Modules without per-sample state only check
        the argument.

        Args:
            num_samples (int): Size ``N`` of the unlabeled set.
        """
        self._check_num_samples(num_samples)

    @abstractmethod
    def mask(self, probs: Tensor, indices: Tensor | None = None) -> Tensor:
        """Which pseudo-labels pass; changes no state.

        Args:
            probs (Tensor): Teacher class probabilities, shape ``(B, C)``.
            indices (Tensor | None): Positions of the items in the unlabeled set, shape
                ``(B,)``; checked where the module keeps per-sample state. Defaults to None.

        Returns:
            Tensor: 1.0 where the item's pseudo-label (its argmax) counts, else 0.0; shape
            ``(B,)``, dtype of ``probs``.
        """

    @abstractmethod
    def class_thresholds(self) -> Tensor:
        """The current per-class thresholds (for masking and logging).

        Returns:
            Tensor: Threshold of every class, shape ``(C,)``, float32.
        """

    def update(self, probs: Tensor, indices: Tensor | None = None) -> None:
        """Learn from one batch of teacher probabilities.

        In a distributed run every rank must call this once per step (with an empty ``(0, C)``
        batch if it has nothing): the batches of all ranks are gathered (in rank order) and each
        rank applies the same update to its copy of the state.

        Args:
            probs (Tensor): Teacher class probabilities, shape ``(B, C)``; detached here.
            indices (Tensor | None): Positions of the items in the unlabeled set, shape
                ``(B,)``, integer; required by modules with per-sample state. Defaults to None.

        Raises:
            ValueError: If a module with per-sample state gets no ``indices``.
            RuntimeError: If such a module was never set up (:meth:`setup`).
        """
        self._check_batch(probs, indices)
        if not self.learns:
            return
        if self.needs_num_samples:
            if indices is None:
                raise ValueError(f'{type(self).__name__}.update needs the unlabeled-set indices')
            self._require_setup()
        probs, indices = self._gather(probs.detach(), indices)
        with torch.no_grad():
            self._update(probs, indices)

    # ------------------------------------------------------------------------ for subclasses
    @abstractmethod
    def _update(self, probs: Tensor, indices: Tensor | None) -> None:
        """Apply the update of the batch gathered from all ranks.

        Args:
            probs (Tensor): Probabilities of all ranks, shape ``(M, C)``; ``M`` may be 0.
            indices (Tensor | None): Their unlabeled-set positions, shape ``(M,)``.
        """

    def _require_num_classes(self) -> int:
        if self.num_classes is None:
            raise RuntimeError(
                f'{type(self).__name__}.num_classes is None: the model that builds the threshold '
                "must pass its head's class count (threshold_cfg num_classes)"
            )
        return self.num_classes

    def _check_batch(self, probs: Tensor, indices: Tensor | None) -> None:
        num_classes = self._require_num_classes()
        if probs.dim() != 2 or probs.shape[1] != num_classes:
            raise ValueError(
                f'{type(self).__name__} expects probabilities of shape (B, {num_classes}), '
                f'got {tuple(probs.shape)}'
            )
        if indices is None:
            return
        if indices.dim() != 1 or indices.shape[0] != probs.shape[0]:
            raise ValueError(
                f'indices must have shape ({probs.shape[0]},) to match probs, '
                f'got {tuple(indices.shape)}'
            )
        if indices.dtype.is_floating_point or indices.dtype.is_complex or indices.dtype == bool:
            raise TypeError(f'indices must be an integer tensor, got {indices.dtype}')

    def _mask_by_class(self, probs: Tensor, indices: Tensor | None) -> Tensor:
        """``max_c probs_ic >= T_{argmax_i}`` with :meth:`class_thresholds` (checks included).

        Modules with per-sample state first require :meth:`setup` and check ``indices``.
        """
        self._check_batch(probs, indices)
        if self.needs_num_samples:
            self._require_setup()
            if indices is not None:
                self._check_range(indices)
        confidence, label = probs.detach().float().max(dim=1)
        thresholds = self.class_thresholds().to(confidence.device)
        return (confidence >= thresholds[label]).to(probs.dtype)

    def _require_setup(self) -> int:
        """The per-sample state's size ``N``; raises when :meth:`setup` was never called."""
        num_samples = self.num_samples
        if num_samples is None:
            raise RuntimeError(
                f'{type(self).__name__} has no per-sample state: call setup(N) with the unlabeled '
                'set size N or pass num_samples (ThresholdHook does this in before_run)'
            )
        return num_samples

    def _check_range(self, indices: Tensor) -> None:
        num_samples = self._require_setup()
        outside = (indices < 0) | (indices >= num_samples)
        if bool(outside.any()):
            bad = int(indices[outside][0])
            raise IndexError(
                f'{type(self).__name__}: index {bad} is outside the unlabeled set of size '
                f'N={num_samples} (indices must be positions 0..N-1 in the unlabeled set)'
            )

    @staticmethod
    def _last_occurrences(indices: Tensor) -> tuple[Tensor, Tensor]:
        """The distinct indices and, for each, the position of its last occurrence.

        Applying ``state[unique] = values[last]`` then equals writing the items in order, on
        every device (plain index assignment with repeated indices is undefined on GPUs).
        """
        unique, inverse = torch.unique(indices, return_inverse=True)
        order = torch.arange(indices.numel(), device=indices.device)
        last = torch.full_like(unique, -1).scatter_reduce(0, inverse, order, reduce='amax')
        return unique, last

    @staticmethod
    def _check_num_samples(num_samples: int) -> None:
        if isinstance(num_samples, bool) or not isinstance(num_samples, int) or num_samples < 1:
            raise ValueError(f'num_samples must be a positive int, got {num_samples!r}')

    @staticmethod
    def _gather(probs: Tensor, indices: Tensor | None) -> tuple[Tensor, Tensor | None]:
        """Concatenate the batches of all ranks in rank order (identity in one process).

        The ranks' batch sizes may differ: sizes are gathered first and every batch is padded to
        the largest before the gather, then cut back.
        """
        if get_world_size() == 1:
            return probs, indices
        size = torch.tensor([probs.shape[0]], dtype=torch.long, device=probs.device)
        sizes = [int(s.item()) for s in all_gather(size)]
        longest = max(sizes)

        def gather_padded(tensor: Tensor) -> Tensor:
            padded = tensor.new_zeros((longest, *tensor.shape[1:]))
            padded[: tensor.shape[0]] = tensor
            parts = all_gather(padded.contiguous())
            return torch.cat([part[:n] for part, n in zip(parts, sizes, strict=True)])

        gathered_indices = gather_padded(indices.long()) if indices is not None else None
        return gather_padded(probs), gathered_indices

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
        # Resize the buffers whose size depends on the data (e.g. the unlabeled set) so that a
        # module built without knowing it, or for another size, takes the saved state.
        for name in self._resizable_buffers:
            saved = state_dict.get(prefix + name)
            current = self._buffers.get(name)
            if isinstance(saved, Tensor) and current is not None and saved.shape != current.shape:
                self._buffers[name] = torch.empty(
                    saved.shape, dtype=current.dtype, device=current.device
                )
        super()._load_from_state_dict(
            state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs
        )

    def extra_repr(self) -> str:
        return f'num_classes={self.num_classes}, tau={self.tau}, num_samples={self.num_samples}'
