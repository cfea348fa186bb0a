"""Accuracy of the chosen model and, side by side, of the teacher and the student."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mmaction.evaluation import AccMetric

from avssl.registry import METRICS

MODEL_FIELDS = ('teacher_scores', 'student_scores')


@METRICS.register_module()
class SemiAccMetric(AccMetric):
    """mmaction2's ``AccMetric`` plus the accuracy of each model of a semi-supervised pair.

    ``acc/top1``, ``acc/top5`` and ``acc/mean1`` are those of ``pred_scores`` (the model the
    config names as the result, ``eval_model``); ``acc/teacher_top1``, ``acc/student_top1``
    (and top-5, mean class accuracy) come from the ``teacher_scores`` / ``student_scores``
    that :class:`AVSemiRecognizer` attaches when ``predict_both`` is on.

    Args:
        **kwargs: Forwarded to ``AccMetric``.
    """

    def process(self, data_batch: Any, data_samples: Sequence[dict]) -> None:
        """Store the chosen scores (parent) and the per-model scores of each sample."""
        start = len(self.results)
        super().process(data_batch, data_samples)
        for result, sample in zip(self.results[start:], data_samples, strict=True):
            for field in MODEL_FIELDS:
                if field in sample:
                    result[field] = sample[field]['item'].cpu().numpy()

    def compute_metrics(self, results: list) -> dict:
        """Metrics of the chosen model, then ``teacher_*`` and ``student_*`` ones."""
        metrics = super().compute_metrics(results)
        labels = [r['label'] for r in results]
        for field in MODEL_FIELDS:
            if all(field in r for r in results):
                name = field.split('_')[0]
                per_model = self.calculate([r[field] for r in results], labels)
                metrics.update({f'{name}_{k}': v for k, v in per_model.items()})
        return metrics
