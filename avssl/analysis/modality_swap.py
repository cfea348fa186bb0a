"""How much an audio-visual recognizer relies on each input: swap one modality between clips.

Each clip keeps one input (say its frames) and takes the other (its audio) from a *partner*
clip of a different class. A model that reads the audio then tends to predict the partner's
class, one that ignores it keeps predicting the clip's own class. Comparing the top-1 against
the clip's own label and against the partner's label, with the audio swapped and with the
frames swapped, says which input decides the prediction (``tools/analysis/modality_swap.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import torch

PredictFn = Callable[[dict[str, torch.Tensor]], torch.Tensor]
"""Maps a batch of inputs (``{'imgs': ..., 'audio': ...}``) to class scores ``(B, K)``."""


def other_class_partners(labels: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """For every clip, a random clip of another class (drawn uniformly among them).

    Args:
        labels (torch.Tensor): ``(N,)`` integer class of each clip.
        generator (torch.Generator): Random stream (the draw is a function of its seed).

    Returns:
        torch.Tensor: ``(N,)`` long indices; ``labels[partners[i]] != labels[i]`` for all i.

    Raises:
        ValueError: If the labels are not 1-D or hold a single class (no partner exists).
    """
    labels = torch.as_tensor(labels).long()
    if labels.dim() != 1:
        raise ValueError(f'labels must be 1-D, got shape {tuple(labels.shape)}')
    if labels.numel() == 0 or int(labels.unique().numel()) < 2:
        raise ValueError('swapping a modality needs clips of at least two classes')
    partners = torch.empty_like(labels)
    for i, label in enumerate(labels.tolist()):
        others = torch.nonzero(labels != label).flatten()
        pick = torch.randint(len(others), (1,), generator=generator)
        partners[i] = others[pick]
    return partners


def predict_all(
    predict: PredictFn,
    inputs: Mapping[str, torch.Tensor],
    swap: str | None = None,
    partners: torch.Tensor | None = None,
    batch_size: int = 16,
) -> torch.Tensor:
    """Predicted class of every clip, optionally with input ``swap`` taken from its partner.

    Args:
        predict (PredictFn): The model's scoring function.
        inputs (Mapping[str, torch.Tensor]): Every input of all ``N`` clips, stacked on dim 0.
        swap (str | None): Key of ``inputs`` to take from the partners. None: matched inputs.
        partners (torch.Tensor | None): ``(N,)`` partner indices (needed with ``swap``).
        batch_size (int): Clips per call of ``predict``. Defaults to 16.

    Returns:
        torch.Tensor: ``(N,)`` long predicted classes.

    Raises:
        KeyError: If ``swap`` is not a key of ``inputs`` (the keys are listed).
        ValueError: If ``swap`` is given without partners, or the sizes disagree.
    """
    sizes = {key: value.shape[0] for key, value in inputs.items()}
    if len(set(sizes.values())) != 1:
        raise ValueError(f'inputs hold different numbers of clips: {sizes}')
    count = next(iter(sizes.values()))
    if swap is not None:
        if swap not in inputs:
            raise KeyError(f'cannot swap {swap!r}: the inputs are {sorted(inputs)}')
        if partners is None or partners.shape != (count,):
            raise ValueError(f'swapping {swap!r} needs one partner index per clip ({count})')
    preds = []
    with torch.no_grad():
        for start in range(0, count, batch_size):
            index = torch.arange(start, min(start + batch_size, count))
            batch = {key: value[index] for key, value in inputs.items()}
            if swap is not None:
                batch[swap] = inputs[swap][partners[index]]
            preds.append(predict(batch).argmax(dim=-1))
    return torch.cat(preds)


def modality_swap_table(
    predict: PredictFn,
    inputs: Mapping[str, torch.Tensor],
    labels: torch.Tensor,
    partners: torch.Tensor,
    keys: Sequence[str] = ('audio', 'imgs'),
    batch_size: int = 16,
) -> list[dict[str, float | str]]:
    """Top-1 against the own and the partner's label, matched and with each key swapped.

    Args:
        predict (PredictFn): The model's scoring function.
        inputs (Mapping[str, torch.Tensor]): Every input of all clips, stacked on dim 0.
        labels (torch.Tensor): ``(N,)`` classes.
        partners (torch.Tensor): ``(N,)`` partner of each clip (another class).
        keys (Sequence[str]): Inputs to swap, one row each (keys the model lacks are skipped).
        batch_size (int): Clips per call of ``predict``. Defaults to 16.

    Returns:
        list[dict]: One row per condition (``'matched'``, then ``'<key> swapped'``) with
        ``own_top1`` and ``partner_top1`` (fractions of clips).
    """
    labels = torch.as_tensor(labels).long()
    rows: list[dict[str, float | str]] = []
    for key in [None, *[k for k in keys if k in inputs]]:
        pred = predict_all(predict, inputs, key, partners if key else None, batch_size)
        rows.append(
            {
                'condition': 'matched' if key is None else f'{key} swapped',
                'own_top1': float((pred == labels).float().mean()),
                'partner_top1': float((pred == labels[partners]).float().mean()),
            }
        )
    return rows
