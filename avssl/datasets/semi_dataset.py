"""The labeled and the unlabeled list of a semi-supervised run, as one data set."""

from __future__ import annotations

from mmengine.dataset import BaseDataset, ConcatDataset

from avssl.registry import DATASETS


@DATASETS.register_module()
class SemiDataset(ConcatDataset):
    """``ConcatDataset([labeled, unlabeled])`` with the two parts as named arguments.

    Index ``i < len(labeled)`` is labeled item ``i``; the rest are the unlabeled items in
    order, so ``RatioSampler`` can draw from each part and an unlabeled item's own index
    (``sample_idx``, stored as ``unlabeled_index`` by ``PackAVInputs``) is its position in the
    unlabeled list. Named arguments, unlike a list, let configs override one field of one part
    (``train_dataloader.dataset.labeled.ann_file``) through mmengine's dict merging.

    Args:
        labeled (dict | BaseDataset): The labeled data set (config).
        unlabeled (dict | BaseDataset): The unlabeled data set (config).
        lazy_init (bool): Defer loading the lists. Defaults to False.
    """

    def __init__(
        self, labeled: dict | BaseDataset, unlabeled: dict | BaseDataset, lazy_init: bool = False
    ) -> None:
        super().__init__(datasets=[labeled, unlabeled], lazy_init=lazy_init)

    @property
    def labeled(self) -> BaseDataset:
        """BaseDataset: The labeled part."""
        return self.datasets[0]

    @property
    def unlabeled(self) -> BaseDataset:
        """BaseDataset: The unlabeled part."""
        return self.datasets[1]
