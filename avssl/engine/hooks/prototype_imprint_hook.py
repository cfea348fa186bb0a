"""Imprint a cosine head's class weights from the labeled clips at the start of a run."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from mmengine.dataset import BaseDataset, Compose, pseudo_collate
from mmengine.dist import all_reduce, get_rank, get_world_size
from mmengine.hooks import Hook
from mmengine.runner import Runner
from torch import nn

from avssl.registry import HOOKS, TRANSFORMS

from .random_state_hook import capture_random_states, restore_random_states


@HOOKS.register_module()
class PrototypeImprintHook(Hook):
    """Set the class head's weights to the class means of the labeled clips' features.

    At the start of a fresh run (iteration 0; a resumed run keeps its trained weights), every
    labeled clip is loaded through ``pipeline`` (by default the validation pipeline: one
    deterministic view), its features are taken where the class head reads them, and
    :meth:`CosineHead.imprint <avssl.models.heads.CosineHead.imprint>` sets each class's
    weight to the normalised mean of its clips' normalised features. Before the first step
    the head is then the nearest class mean of the labeled clips.

    The labeled clips are the ``labeled`` part of the training set (:class:`SemiDataset`) or
    the whole training set. Each process takes every ``world_size``-th clip and the per-class
    sums are added over processes. The global random states are restored afterwards, so the
    training that follows draws the same numbers as without the hook.

    For an :class:`AVSemiRecognizer` the student's and the teacher's heads are imprinted (the
    features are the student's, with the localizer's maps where the fusion pools the source,
    :meth:`AVSemiRecognizer.head_features`); for a plain recognizer its own head. The hook
    runs before :class:`EMATeacherHook` (priority ``HIGH``).

    Args:
        pipeline (Sequence[dict] | None): Transforms applied to each labeled clip's data info.
            Defaults to None: ``val_dataloader.dataset.pipeline`` of the run's config (or the
            test loader's where there is no val loader).
        batch_size (int): Clips per forward pass. Defaults to 8.

    Raises:
        ValueError: (at train start) If the labeled set is empty, the config has no pipeline
            to use, or the head cannot be imprinted (not a cosine head, a class without a
            labeled clip).
    """

    priority = 'HIGH'

    def __init__(self, pipeline: Sequence[dict] | None = None, batch_size: int = 8) -> None:
        if int(batch_size) < 1:
            raise ValueError(f'PrototypeImprintHook: batch_size must be >= 1, got {batch_size}')
        self.pipeline = None if pipeline is None else list(pipeline)
        self.batch_size = int(batch_size)

    @staticmethod
    def labeled_dataset(runner: Runner) -> BaseDataset:
        """The labeled part of the training set (or the training set itself)."""
        dataset = runner.train_dataloader.dataset
        return getattr(dataset, 'labeled', dataset)

    def transforms(self, runner: Runner) -> Compose:
        """The pipeline that loads each labeled clip (``pipeline``, else the val or test one)."""
        pipeline = self.pipeline
        if pipeline is None:
            for loader in ('val_dataloader', 'test_dataloader'):
                dataset = (runner.cfg.get(loader) or {}).get('dataset') or {}
                if dataset.get('pipeline') is not None:
                    pipeline = dataset['pipeline']
                    break
            else:
                raise ValueError(
                    'PrototypeImprintHook: no pipeline given and the config has neither a '
                    'val_dataloader.dataset.pipeline nor a test_dataloader.dataset.pipeline to '
                    'load the labeled clips with'
                )
        return Compose([TRANSFORMS.build(t) if isinstance(t, dict) else t for t in pipeline])

    @staticmethod
    def networks(model: nn.Module) -> list[nn.Module]:
        """The networks whose class heads are imprinted."""
        if hasattr(model, 'student'):
            return [model.student] + ([model.teacher] if hasattr(model, 'teacher') else [])
        return [model]

    @torch.no_grad()
    def class_sums(self, runner: Runner) -> tuple[torch.Tensor, torch.Tensor]:
        """Per-class sums of the normalised features ``(C, D)`` and counts ``(C,)``."""
        model = runner.model
        model = getattr(model, 'module', model)
        head = self.networks(model)[0].cls_head
        if not hasattr(head, 'imprint') or not hasattr(head, 'class_means'):
            raise ValueError(
                'PrototypeImprintHook needs a class head with imprint() (CosineHead), got '
                f'{type(head).__name__}'
            )
        dataset = self.labeled_dataset(runner)
        if len(dataset) == 0:
            raise ValueError(
                f'PrototypeImprintHook: the labeled set ({getattr(dataset, "ann_file", "?")}) '
                'is empty'
            )
        pipeline = self.transforms(runner)
        indices = list(range(get_rank(), len(dataset), get_world_size()))
        device = next(model.parameters()).device
        sums = torch.zeros(head.num_classes, head.in_channels, device=device)
        counts = torch.zeros(head.num_classes, device=device)
        for start in range(0, len(indices), self.batch_size):
            items = [
                pipeline(dataset.get_data_info(i)) for i in indices[start : start + self.batch_size]
            ]
            data = model.data_preprocessor(pseudo_collate(items), False)
            if hasattr(model, 'head_features'):
                features = model.head_features(data['inputs'])
            else:
                features = model.extract_feat(data['inputs'])
            labels = torch.stack([s.gt_labels.item for s in data['data_samples']]).reshape(-1)
            labels = labels.to(device).repeat_interleave(features.shape[0] // labels.shape[0])
            part_sums, part_counts = head.class_means(features, labels, head.num_classes)
            sums += part_sums.to(device)
            counts += part_counts.to(device)
        all_reduce(sums)
        all_reduce(counts)
        return sums, counts

    def before_train(self, runner: Runner) -> None:
        """Imprint the heads at the start of a fresh run."""
        if runner.iter != 0:
            return
        model = runner.model
        model = getattr(model, 'module', model)
        states = capture_random_states()
        was_training = model.training
        model.eval()
        try:
            sums, counts = self.class_sums(runner)
        finally:
            model.train(was_training)
            restore_random_states(states)
        for network in self.networks(model):
            network.cls_head.imprint(sums, counts)
        runner.logger.info(
            f'PrototypeImprintHook: imprinted {len(self.networks(model))} class head(s) from '
            f'{int(counts.sum())} labeled clips'
        )
