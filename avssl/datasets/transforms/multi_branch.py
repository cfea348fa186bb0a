"""Run several pipelines on one item: one labeled view, or a weak and a strong unlabeled view.

A labeled data set and an unlabeled one are concatenated and sampled into the same batches, so
every item must come out of its data set in the same structure: ``MultiBranch`` names every
branch of the batch (``branch_field``) and fills the branches that this data set does not
produce with ``None``. The default ``pseudo_collate`` of mmengine cannot collate such items
when the per-branch inputs are dicts (it recurses into the first item's dict and fails on a
later ``None``), so a training loader of ``MultiBranch`` items uses
``collate_fn=dict(type='multi_branch_collate')``, which only gathers the items into lists.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from mmcv.transforms import BaseTransform, Compose

from avssl.registry import FUNCTION, TRANSFORMS


@TRANSFORMS.register_module()
class MultiBranch(BaseTransform):
    """Apply one pipeline per branch to deep copies of the same results.

    Each configured branch runs its own pipeline on its own deep copy of the input results, so
    branches never share mutable state, and every random draw of a pipeline (clip position,
    crop, flip, SpecAugment, ...) is independent between branches: a weak and a strong view of
    an unlabeled video are two separately sampled clips. Branches listed in ``branch_field``
    but not configured here are ``None`` in the output (a labeled data set fills only
    ``'labeled'``, an unlabeled one ``'weak'`` and ``'strong'``).

    Every branch pipeline must end with a packer (``PackAVInputs``) that returns
    ``{'inputs': ..., 'data_samples': ...}``.

    Required Keys:
        - Whatever the branch pipelines require.

    Added Keys:
        - inputs (dict[str, Any | None]): Branch name -> the branch's packed ``inputs`` (for
          ``PackAVInputs`` a dict with ``imgs`` ``(V, C, T, H, W)``, ``audio``
          ``(V, 1, Ta, F)``, ...), or None for a branch this item does not have.
        - data_samples (dict[str, ActionDataSample | None]): Branch name -> the branch's data
          sample, or None.

    Every other key of the input results is dropped.

    Args:
        branch_field (Sequence[str]): Every branch name that the batch can contain, e.g.
            ``['labeled', 'weak', 'strong']``; the output has exactly these keys, in this order.
        **branch_pipelines (list[dict | Callable]): Branch name -> list of transform configs
            (or transforms), built with :class:`mmcv.transforms.Compose`. Every name must be in
            ``branch_field``.

    Examples:
        >>> unlabeled = dict(
        ...     type='MultiBranch',
        ...     branch_field=['labeled', 'weak', 'strong'],
        ...     weak=weak_pipeline,
        ...     strong=strong_pipeline)
    """

    def __init__(self, branch_field: Sequence[str], **branch_pipelines: list) -> None:
        if isinstance(branch_field, str) or not branch_field:
            raise ValueError(
                f'branch_field must be a non-empty list of names, got {branch_field!r}'
            )
        self.branch_field = list(branch_field)
        if len(set(self.branch_field)) != len(self.branch_field):
            raise ValueError(f'branch_field repeats a name: {self.branch_field}')
        if not branch_pipelines:
            raise ValueError(f'MultiBranch needs at least one pipeline of {self.branch_field}')
        unknown = sorted(set(branch_pipelines) - set(self.branch_field))
        if unknown:
            raise ValueError(
                f'MultiBranch pipelines {unknown} are not in branch_field {self.branch_field}'
            )
        self.branch_pipelines: dict[str, Compose] = {
            name: Compose(pipeline) for name, pipeline in branch_pipelines.items()
        }

    def transform(self, results: dict[str, Any]) -> dict[str, dict[str, Any]] | None:
        """Run every branch pipeline on its own deep copy of ``results``.

        Args:
            results (dict[str, Any]): The item's results (from the data set's ``get_data_info``).

        Returns:
            dict | None: ``{'inputs': {branch: inputs or None}, 'data_samples': {branch:
            data sample or None}}`` with one key per name of ``branch_field``; None if any
            branch pipeline returned None (the data set then draws another item).
        """
        inputs: dict[str, Any] = dict.fromkeys(self.branch_field)
        data_samples: dict[str, Any] = dict.fromkeys(self.branch_field)
        for name, pipeline in self.branch_pipelines.items():
            packed = pipeline(copy.deepcopy(results))
            if packed is None:
                return None
            if not isinstance(packed, Mapping) or not {'inputs', 'data_samples'} <= set(packed):
                got = sorted(packed) if isinstance(packed, Mapping) else type(packed).__name__
                raise KeyError(
                    f'MultiBranch branch {name!r} must end with a packer that returns '
                    f"'inputs' and 'data_samples'; got {got}"
                )
            inputs[name] = packed['inputs']
            data_samples[name] = packed['data_samples']
        return {'inputs': inputs, 'data_samples': data_samples}

    def __repr__(self) -> str:
        pipelines = ', '.join(f'{name}={pipe!r}' for name, pipe in self.branch_pipelines.items())
        return f'{self.__class__.__name__}(branch_field={self.branch_field}, {pipelines})'


def multi_branch_collate(data_batch: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """Gather a batch of items into lists, key by key, without recursing into the values.

    ``multi_branch_collate([{'inputs': a1, 'data_samples': s1}, {'inputs': a2, ...}])`` is
    ``{'inputs': [a1, a2], 'data_samples': [s1, s2]}``. For ``MultiBranch`` items the lists hold
    one ``{branch: value or None}`` dict per item, which
    :class:`~avssl.models.MultiBranchDataPreprocessor` groups by branch; for single-branch items
    of ``PackAVInputs`` they hold one ``{'imgs': ..., 'audio': ...}`` dict per item, which
    :class:`~avssl.models.AVDataPreprocessor` stacks. Registered in avssl's ``FUNCTION``
    registry; the Runner looks ``collate_fn`` types up in mmengine's root registry, which does
    not see avssl's, so configs give the import path:
    ``collate_fn=dict(type='avssl.datasets.transforms.multi_branch_collate')``.

    Args:
        data_batch (Sequence[Mapping[str, Any]]): The items of one batch, all with the same
            keys.

    Returns:
        dict[str, list[Any]]: Key -> list of the items' values, in batch order.

    Raises:
        KeyError: If the items do not all have the same keys.
    """
    if not data_batch:
        return {}
    keys = list(data_batch[0])
    for i, item in enumerate(data_batch):
        if set(item) != set(keys):
            raise KeyError(
                f'multi_branch_collate: item {i} has keys {sorted(item)}, item 0 has {sorted(keys)}'
            )
    return {key: [item[key] for item in data_batch] for key in keys}


FUNCTION.register_module(name='multi_branch_collate', module=multi_branch_collate)
