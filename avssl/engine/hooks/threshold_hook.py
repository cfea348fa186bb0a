"""Drive the update of whichever pseudo-label threshold module the model holds."""

from __future__ import annotations

from typing import Any

import torch
from mmengine.dist import get_world_size
from mmengine.hooks import Hook
from mmengine.logging import print_log
from torch import nn

from avssl.models.thresholds import BaseThreshold
from avssl.registry import HOOKS


@HOOKS.register_module()
class ThresholdHook(Hook):
    """Size, update and log the model's threshold module (Fixed, FlexMatch, FreeMatch, ...).

    Contract with the model (``runner.model``, or its ``.module`` when wrapped): it has an
    attribute ``threshold`` (a :class:`~avssl.models.thresholds.BaseThreshold`) and, after each
    training forward, ``threshold_batch``: None or a tuple ``(probs, indices)`` of the teacher's
    detached probabilities ``(B, C)`` and the items' positions in the unlabeled set ``(B,)``
    (long) for that iteration's unlabeled items.

    - ``before_run``: a module with per-sample state (FlexMatch) is sized to the unlabeled set:
      ``num_samples`` if given, else ``len(runner.train_dataloader.dataset.datasets[1])`` (the
      train set is ``ConcatDataset([labeled, unlabeled])``). mmengine loads a resumed checkpoint
      after ``before_run``, so the buffers already have the checkpoint's size then.
    - ``after_train_iter``: ``threshold.update(*threshold_batch)``, then
      ``threshold_batch = None``. The model masks during the forward, so a batch is masked with
      the state as of the previous iteration. In a distributed run every rank must take part in
      the update's gather: a rank whose model left ``threshold_batch`` None joins with an empty
      batch. Every ``log_interval`` iterations the class thresholds are logged: their minimum,
      mean and maximum go into the message hub as ``train/threshold_{min,mean,max}`` (so the
      text log line and the visualizer backends show them), and the whole vector goes only to
      the visualizer backends (``runner.visualizer.add_scalars``, keys ``threshold/class_{k}``,
      one call per log), not to the text log, whose line would otherwise carry one value per
      class (400 on Kinetics-400).

    The hook runs at priority ``ABOVE_NORMAL``, before ``CheckpointHook`` saves in
    ``after_train_iter``, so a checkpoint holds the state after its iteration's update.

    Args:
        num_samples (int | None): Size of the unlabeled set, overriding the one read from the
            train data loader. Defaults to None.
        log_interval (int): Log the thresholds every this many iterations. Defaults to 50.
    """

    priority = 'ABOVE_NORMAL'

    def __init__(self, num_samples: int | None = None, log_interval: int = 50) -> None:
        if num_samples is not None and (not isinstance(num_samples, int) or num_samples < 1):
            raise ValueError(f'ThresholdHook num_samples must be a positive int, got {num_samples}')
        if log_interval < 1:
            raise ValueError(f'ThresholdHook log_interval must be >= 1, got {log_interval}')
        self.num_samples = num_samples
        self.log_interval = log_interval

    @staticmethod
    def _model(runner: Any) -> nn.Module:
        model = runner.model
        return model.module if hasattr(model, 'module') else model

    @staticmethod
    def _threshold(model: nn.Module) -> BaseThreshold:
        threshold = getattr(model, 'threshold', None)
        if not isinstance(threshold, BaseThreshold):
            raise TypeError(
                f'ThresholdHook needs a model with a `threshold` attribute holding a '
                f'BaseThreshold; {type(model).__name__}.threshold is {type(threshold).__name__}'
            )
        return threshold

    def _unlabeled_size(self, runner: Any) -> int:
        if self.num_samples is not None:
            return self.num_samples
        try:
            dataset = runner.train_dataloader.dataset
        except Exception as error:  # no train loop or loader configured
            raise RuntimeError(
                'ThresholdHook cannot find the unlabeled set size: runner.train_dataloader is not '
                'available; set num_samples in the ThresholdHook config'
            ) from error
        datasets = getattr(dataset, 'datasets', None)
        if datasets is None or len(datasets) != 2:
            raise ValueError(
                'ThresholdHook cannot find the unlabeled set size: train_dataloader.dataset '
                f'should be ConcatDataset([labeled, unlabeled]), got {type(dataset).__name__}'
                f'{"" if datasets is None else f" of {len(datasets)} data sets"}; set '
                'num_samples in the ThresholdHook config'
            )
        return len(datasets[1])

    def before_run(self, runner: Any) -> None:
        """Size the threshold's per-sample state to the unlabeled set."""
        threshold = self._threshold(self._model(runner))
        if not threshold.needs_num_samples:
            return
        num_samples = self._unlabeled_size(runner)
        if threshold.num_samples != num_samples:
            threshold.setup(num_samples)
            print_log(
                f'ThresholdHook: {type(threshold).__name__} state sized to {num_samples} '
                'unlabeled samples',
                logger='current',
            )

    def after_train_iter(
        self,
        runner: Any,
        batch_idx: int,
        data_batch: dict | tuple | list | None = None,
        outputs: dict | None = None,
    ) -> None:
        """Update the threshold with the iteration's teacher predictions, then log it."""
        model = self._model(runner)
        threshold = self._threshold(model)
        batch = getattr(model, 'threshold_batch', None)
        if (
            batch is None
            and threshold.learns
            and threshold.num_classes is not None
            and get_world_size() > 1
        ):
            # Other ranks may have a batch: join their gather with an empty one.
            device = next(iter(threshold.buffers()), torch.empty(0)).device
            batch = (
                torch.empty(0, threshold.num_classes, device=device),
                torch.empty(0, dtype=torch.long, device=device),
            )
        if batch is not None:
            probs, indices = batch
            threshold.update(probs, indices)
            model.threshold_batch = None
        if self.every_n_train_iters(runner, self.log_interval):
            self._log(runner, threshold)

    def _log(self, runner: Any, threshold: BaseThreshold) -> None:
        """Summary to the message hub (text log), the full vector to the visualizer."""
        values = threshold.class_thresholds().detach().float().cpu()
        hub = runner.message_hub
        hub.update_scalar('train/threshold_min', float(values.min()))
        hub.update_scalar('train/threshold_mean', float(values.mean()))
        hub.update_scalar('train/threshold_max', float(values.max()))
        runner.visualizer.add_scalars(
            {f'threshold/class_{k}': value for k, value in enumerate(values.tolist())},
            step=runner.iter + 1,
        )
