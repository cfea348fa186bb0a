"""Metrics."""

from .localization_metric import LocalizationMetric
from .semi_acc_metric import SemiAccMetric

__all__ = ['LocalizationMetric', 'SemiAccMetric']
