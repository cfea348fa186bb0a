"""Metrics."""

from .semi_acc_metric import SemiAccMetric

__all__ = ['SemiAccMetric']
