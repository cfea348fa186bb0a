"""How good a teacher's pseudo-labels are at each confidence threshold.

A confidence threshold trades how many unlabeled clips get a pseudo-label (the *coverage*)
against how many of those are right (the *selective accuracy*). Given the teacher's class
probabilities on an unlabeled split whose labels are known (SynthAV's are), these helpers
give that trade-off for a list of thresholds and the expected calibration error, which
together say whether any fixed threshold can pick a subset of mostly correct pseudo-labels
(``tools/analysis/pseudo_label_quality.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from avssl.models.thresholds import FlexMatchThreshold


def _check(probs: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    probs = torch.as_tensor(probs).float()
    labels = torch.as_tensor(labels).long()
    if probs.dim() != 2:
        raise ValueError(f'probs must be (N, C), got shape {tuple(probs.shape)}')
    if labels.shape != (probs.shape[0],):
        raise ValueError(
            f'labels must be ({probs.shape[0]},) to match probs, got {tuple(labels.shape)}'
        )
    if probs.shape[0] == 0:
        raise ValueError('no clips: probs is empty')
    if labels.min() < 0 or labels.max() >= probs.shape[1]:
        raise ValueError(f'labels must lie in [0, {probs.shape[1]}), got {labels.tolist()}')
    return probs, labels


def selective_accuracy(
    probs: torch.Tensor, labels: torch.Tensor, thresholds: Sequence[float]
) -> list[dict[str, float]]:
    """Coverage and accuracy of the pseudo-labels whose confidence reaches each threshold.

    Args:
        probs (torch.Tensor): ``(N, C)`` class probabilities (rows sum to 1).
        labels (torch.Tensor): ``(N,)`` true classes.
        thresholds (Sequence[float]): Confidence thresholds in ``[0, 1]``.

    Returns:
        list[dict[str, float]]: One row per threshold ``t``: ``threshold``, ``coverage`` (share
        of clips with ``max_c probs >= t``), ``kept`` (their number), ``accuracy`` (share of
        those whose arg-max is the label; NaN when none is kept), ``rejected_accuracy``
        (the same for the clips below ``t``; NaN when none is rejected), ``classes`` (how many
        classes the kept pseudo-labels name) and ``largest_class_share`` (the share of the kept
        clips whose pseudo-label is the most common one; NaN when none is kept): a fixed
        threshold that keeps only the classes the teacher has learnt trains the student on
        those, the imbalance FlexMatch's per-class thresholds are there to undo.

    Raises:
        ValueError: On mismatched shapes, labels out of range or a threshold outside [0, 1].
    """
    probs, labels = _check(probs, labels)
    conf, pred = probs.max(dim=1)
    right = (pred == labels).float()
    rows = []
    for t in thresholds:
        if not 0.0 <= float(t) <= 1.0:
            raise ValueError(f'thresholds must lie in [0, 1], got {t}')
        kept = conf >= float(t)
        count = int(kept.sum())
        rest = len(conf) - count
        per_class = torch.bincount(pred[kept], minlength=probs.shape[1])
        rows.append(
            {
                'threshold': float(t),
                'coverage': count / len(conf),
                'kept': float(count),
                'accuracy': float(right[kept].mean()) if count else float('nan'),
                'rejected_accuracy': float(right[~kept].mean()) if rest else float('nan'),
                'classes': float((per_class > 0).sum()),
                'largest_class_share': float(per_class.max()) / count if count else float('nan'),
            }
        )
    return rows


def expected_calibration_error(
    probs: torch.Tensor, labels: torch.Tensor, num_bins: int = 10
) -> float:
    """Expected calibration error over equal-width confidence bins.

    ``ECE = sum_b |B_b| / N * |acc(B_b) - conf(B_b)|`` with the bins ``(k/K, (k+1)/K]``
    (the first also holds confidence 0).

    Args:
        probs (torch.Tensor): ``(N, C)`` class probabilities.
        labels (torch.Tensor): ``(N,)`` true classes.
        num_bins (int): Number of bins ``K``. Defaults to 10.

    Returns:
        float: The ECE, in ``[0, 1]``.

    Raises:
        ValueError: On bad shapes or ``num_bins < 1``.
    """
    if num_bins < 1:
        raise ValueError(f'num_bins must be >= 1, got {num_bins}')
    probs, labels = _check(probs, labels)
    conf, pred = probs.max(dim=1)
    right = (pred == labels).float()
    bins = torch.clamp(torch.ceil(conf * num_bins).long() - 1, 0, num_bins - 1)
    total = 0.0
    for b in range(num_bins):
        members = bins == b
        if members.any():
            gap = (right[members].mean() - conf[members].mean()).abs()
            total += float(members.float().mean() * gap)
    return total


def flexmatch_selection(
    probs: torch.Tensor, labels: torch.Tensor, taus: Sequence[float], warmup: bool = True
) -> list[dict[str, float]]:
    """What FlexMatch would pass at each base threshold after one pass of this teacher.

    For each ``tau`` a fresh :class:`~avssl.models.thresholds.FlexMatchThreshold` (the module
    the configs train with) sees every clip once, with its index, as the threshold hook shows
    it the teacher's predictions in training; then its class thresholds and its mask are read
    on the same predictions. In training a clip keeps the last class it was confidently
    predicted as, by earlier teachers too, so more clips are counted there and the thresholds
    can be somewhat higher than here: this is the state a sweep's runs reach with a teacher
    like this one, not a replay of a run.

    Args:
        probs (torch.Tensor): ``(N, C)`` class probabilities.
        labels (torch.Tensor): ``(N,)`` true classes.
        taus (Sequence[float]): FlexMatch base thresholds in ``[0, 1]``.
        warmup (bool): FlexMatch's warm-up normaliser. Defaults to True (the configs').

    Returns:
        list[dict[str, float]]: One row per ``tau``: ``tau``, ``counted`` (share of clips
        whose confidence reaches ``tau``, FlexMatch's ``sigma`` summed over classes, over N),
        ``threshold_mean`` and ``threshold_max`` (of the class thresholds), ``pass_rate``
        (share of clips whose confidence reaches their class's threshold) and ``accuracy``
        (share of the passed pseudo-labels that are right; NaN when none passes).

    Raises:
        ValueError: On mismatched shapes, labels out of range or a tau outside [0, 1].
    """
    probs, labels = _check(probs, labels)
    num, num_classes = probs.shape
    right = probs.argmax(dim=1) == labels
    indices = torch.arange(num)
    rows = []
    for tau in taus:
        module = FlexMatchThreshold(
            num_classes=num_classes, tau=float(tau), num_samples=num, warmup=warmup
        )
        module.update(probs, indices)
        thresholds = module.class_thresholds()
        passed = module.mask(probs, indices).bool()
        count = int(passed.sum())
        rows.append(
            {
                'tau': float(tau),
                'counted': float((module.selected >= 0).float().mean()),
                'threshold_mean': float(thresholds.mean()),
                'threshold_max': float(thresholds.max()),
                'pass_rate': count / num,
                'accuracy': float(right[passed].float().mean()) if count else float('nan'),
            }
        )
    return rows


def group_errors(
    probs: torch.Tensor, labels: torch.Tensor, group_size: int
) -> dict[str, float | list[int]]:
    """Split the top-1 mistakes into those inside a class group and those across groups.

    Classes ``g * group_size ... (g + 1) * group_size - 1`` form group ``g`` (on SynthAV,
    ``group_size=2`` gives the families: the two classes of a family share their shape and
    their sound and differ only in colour). A mistake inside a group is one the input that
    names the group (the sound) got right and the one that tells its members apart (the
    colour of the sounding object) got wrong; a mistake across groups starts from the wrong
    group.

    Args:
        probs (Tensor): Class probabilities ``(N, C)``.
        labels (Tensor): True classes ``(N,)``.
        group_size (int): Classes per group (the last group may be smaller).

    Returns:
        dict: ``accuracy``, ``errors`` (the share of clips mistaken), ``within`` and
        ``across`` (shares of all clips; they add up to ``errors``), ``group_accuracy`` (the
        share whose predicted group is right) and ``predicted`` (clips predicted per class).
    """
    probs, labels = _check(probs, labels)
    if group_size < 1:
        raise ValueError(f'group_size must be >= 1, got {group_size}')
    pred = probs.argmax(dim=1)
    wrong = pred != labels
    same_group = pred // group_size == labels // group_size
    n = float(labels.numel())
    return {
        'accuracy': float((~wrong).sum()) / n,
        'errors': float(wrong.sum()) / n,
        'within': float((wrong & same_group).sum()) / n,
        'across': float((wrong & ~same_group).sum()) / n,
        'group_accuracy': float(same_group.sum()) / n,
        'predicted': torch.bincount(pred, minlength=probs.shape[1]).tolist(),
    }
