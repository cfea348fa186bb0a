"""Every clip of a config's split, through its test pipeline, stacked for offline scoring."""

from __future__ import annotations

import copy

import torch
from mmengine.dataset import pseudo_collate

from avssl.registry import DATASETS

#: Splits :func:`load_split` can read: the evaluation loaders, and the two halves of a
#: semi-supervised training set (read with the test pipeline, as a teacher scores them).
SPLITS = ('test', 'val', 'unlabeled', 'labeled')


def split_dataset_cfg(cfg, split: str) -> dict:
    """The data set config of ``split``, with the test pipeline for the training halves.

    Args:
        cfg: The model's config (``mmengine.Config``).
        split (str): One of :data:`SPLITS`.

    Returns:
        dict: A data set config for ``DATASETS.build``.

    Raises:
        ValueError: If ``split`` is unknown.
        KeyError: If the config has no such split (a labeled-only config has no ``unlabeled``
            half), named.
    """
    if split not in SPLITS:
        raise ValueError(f'split must be one of {SPLITS}, got {split!r}')
    if split in ('test', 'val'):
        return copy.deepcopy(cfg[f'{split}_dataloader']['dataset'])
    train = cfg['train_dataloader']['dataset']
    if split not in train:
        raise KeyError(
            f'{cfg.filename}: train_dataloader.dataset has no {split!r} half (is it a '
            'semi-supervised config?)'
        )
    half = copy.deepcopy(train[split])
    test = cfg['test_dataloader']['dataset']
    half.update(pipeline=copy.deepcopy(test['pipeline']), test_mode=True)
    return half


def load_split(model: torch.nn.Module, split: str, num: int = 0) -> tuple[dict, torch.Tensor]:
    """Every clip of the split through the pipeline and the model's preprocessor, stacked.

    Args:
        model (torch.nn.Module): A recognizer from :func:`avssl.apis.init_recognizer` (it
            carries its config as ``model.cfg``).
        split (str): One of :data:`SPLITS`.
        num (int): Only the first ``num`` clips; 0 for all. Defaults to 0.

    Returns:
        tuple[dict, torch.Tensor]: The stacked inputs (``{'imgs': ..., 'audio': ...}``) and
        the ``(N,)`` labels.

    Raises:
        ValueError: If the split holds no clips.
    """
    dataset = DATASETS.build(split_dataset_cfg(model.cfg, split))
    count = len(dataset) if num <= 0 else min(num, len(dataset))
    if count == 0:
        raise ValueError(f'the {split} split of {model.cfg.filename} has no clips')
    columns: dict[str, list[torch.Tensor]] = {}
    labels = []
    for index in range(count):
        data = model.data_preprocessor(pseudo_collate([dataset[index]]), False)
        for key, value in data['inputs'].items():
            columns.setdefault(key, []).append(value)
        labels.append(int(data['data_samples'][0].gt_labels.item))
    inputs = {key: torch.cat(values) for key, values in columns.items()}
    return inputs, torch.tensor(labels)
