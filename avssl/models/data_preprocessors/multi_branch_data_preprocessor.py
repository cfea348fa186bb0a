"""Preprocess a batch of ``MultiBranch`` items branch by branch."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mmengine.model import BaseDataPreprocessor
from torch import nn

from avssl.registry import MODELS


def _is_multi_branch(data_samples: Any) -> bool:
    """Whether a batch's ``data_samples`` come from ``MultiBranch`` (branch dicts)."""
    if isinstance(data_samples, Mapping):
        return True
    return (
        isinstance(data_samples, Sequence)
        and len(data_samples) > 0
        and all(isinstance(sample, Mapping) for sample in data_samples)
    )


def _branch_columns(data: Mapping[str, Any]) -> dict[str, tuple[list[Any], list[Any]]]:
    """Return ``{branch: (inputs per item, data samples per item)}``, None where absent.

    Accepts the two layouts a collate function can give a batch of ``MultiBranch`` items: a
    list of per-item ``{branch: value or None}`` dicts (``multi_branch_collate``) or a dict of
    per-branch lists (mmengine's ``pseudo_collate``, which can only collate batches whose items
    all have the branch or all lack it, and recurses into dict inputs: ``{branch: {key:
    list}}``).
    """
    inputs, samples = data['inputs'], data['data_samples']
    if isinstance(samples, Mapping):
        columns = {}
        for branch, branch_samples in samples.items():
            branch_inputs = inputs[branch]
            if isinstance(branch_inputs, Mapping):  # pseudo_collate recursed into dict inputs
                keys = list(branch_inputs)
                branch_inputs = [
                    dict(zip(keys, values, strict=True))
                    for values in zip(*branch_inputs.values(), strict=True)
                ]
            columns[branch] = (list(branch_inputs), list(branch_samples))
        return columns
    if not isinstance(inputs, Sequence) or len(inputs) != len(samples):
        raise ValueError(
            'a MultiBranch batch needs one inputs dict per data-samples dict, got '
            f'{type(inputs).__name__} for {len(samples)} items'
        )
    branches: list[str] = []
    for item in samples:
        branches += [branch for branch in item if branch not in branches]
    return {
        branch: (
            [item.get(branch) for item in inputs],
            [item.get(branch) for item in samples],
        )
        for branch in branches
    }


@MODELS.register_module()
class MultiBranchDataPreprocessor(BaseDataPreprocessor):
    """Group a batch of ``MultiBranch`` items by branch and preprocess every branch.

    A training batch of ``MultiBranch`` items holds, per item, ``{branch: inputs or None}`` and
    ``{branch: data sample or None}`` (labeled items fill ``'labeled'``, unlabeled ones
    ``'weak'`` and ``'strong'``). The items are grouped by branch, dropping the Nones, and the
    inner preprocessor runs once per branch, so each branch is stacked and normalised on its
    own: ``{'inputs': {branch: {'imgs': (B_branch, V, C, T, H, W), 'audio': ...}},
    'data_samples': {branch: [ActionDataSample, ...]}}`` with the branches in ``branch_field``
    order. A branch that no item of the batch has is absent. Batches that are not
    multi-branch (validation and test, whose data samples are a plain list) go through the
    inner preprocessor unchanged.

    Args:
        data_preprocessor (dict | nn.Module): The inner preprocessor (config or module),
            e.g. ``dict(type='AVDataPreprocessor', mean=..., std=...)``.
    """

    def __init__(self, data_preprocessor: dict | nn.Module) -> None:
        super().__init__()
        if isinstance(data_preprocessor, nn.Module):
            self.data_preprocessor = data_preprocessor
        else:
            self.data_preprocessor = MODELS.build(data_preprocessor)

    def forward(self, data: dict, training: bool = False) -> dict:
        """Preprocess a multi-branch batch per branch, or any other batch as a whole.

        Args:
            data (dict): ``{'inputs': ..., 'data_samples': ...}`` from the dataloader.
            training (bool): Whether this is a training batch; passed to the inner
                preprocessor. Defaults to False.

        Returns:
            dict: For a multi-branch batch ``{'inputs': {branch: batch inputs},
            'data_samples': {branch: list of data samples}}``; otherwise the inner
            preprocessor's output.
        """
        # The inner module's device follows this one's, however this one was moved.
        self.data_preprocessor._device = self._device
        if not _is_multi_branch(data.get('data_samples')):
            return self.data_preprocessor(data, training)
        grouped_inputs: dict[str, Any] = {}
        grouped_samples: dict[str, Any] = {}
        for branch, (inputs, samples) in _branch_columns(data).items():
            kept = []
            for i, (item_inputs, sample) in enumerate(zip(inputs, samples, strict=True)):
                if (item_inputs is None) != (sample is None):
                    raise ValueError(
                        f'item {i} of the batch has branch {branch!r} inputs but no data '
                        'sample, or a data sample but no inputs'
                    )
                if sample is not None:
                    kept.append((item_inputs, sample))
            if not kept:
                continue
            out = self.data_preprocessor(
                {'inputs': [x for x, _ in kept], 'data_samples': [s for _, s in kept]}, training
            )
            grouped_inputs[branch] = out['inputs']
            grouped_samples[branch] = out['data_samples']
        return {'inputs': grouped_inputs, 'data_samples': grouped_samples}
