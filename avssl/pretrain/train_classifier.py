"""A plain training loop and evaluation for the pretraining classifiers on cached arrays."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

#: ``sample(generator, indices) -> (inputs, targets)``: one augmented training batch.
BatchFn = Callable[[torch.Generator, Tensor], tuple[Tensor, Tensor]]
#: ``views(indices) -> (V, B, ...)``: the evaluation views of some clips (logits averaged).
ViewFn = Callable[[Tensor], Tensor]
#: ``loss(logits, targets) -> scalar``: the training loss (cross-entropy unless given).
LossFn = Callable[[Tensor, Tensor], Tensor]


@dataclass(frozen=True)
class ClassifierRecipe:
    """How one classifier is trained.

    Attributes:
        steps (int): Optimizer steps.
        batch_size (int): Items per step.
        lr (float): AdamW peak learning rate (linear warm-up, then cosine to 1% of it).
        weight_decay (float): AdamW weight decay.
        warmup (int): Warm-up steps.
        label_smoothing (float): Cross-entropy label smoothing.
        seed (int): Seed of the initialisation and of the batch draws.
    """

    steps: int
    batch_size: int = 64
    lr: float = 1e-3
    weight_decay: float = 0.05
    warmup: int = 50
    label_smoothing: float = 0.1
    seed: int = 0


def _lr_factor(step: int, recipe: ClassifierRecipe) -> float:
    if step < recipe.warmup:
        return (step + 1) / recipe.warmup
    progress = (step - recipe.warmup) / max(1, recipe.steps - recipe.warmup)
    return 0.01 + 0.99 * 0.5 * (1.0 + math.cos(math.pi * progress))


def train_classifier(
    model: nn.Module,
    num_items: int,
    sample: BatchFn,
    recipe: ClassifierRecipe,
    log: Callable[[str], None] = print,
    log_every: int = 100,
    loss_fn: LossFn | None = None,
) -> list[float]:
    """Train ``model`` with AdamW on batches drawn by ``sample``.

    Items are drawn as shuffled passes over ``range(num_items)`` from a generator seeded
    with ``recipe.seed``, so a run is repeatable.

    Args:
        model (nn.Module): Maps inputs to logits.
        num_items (int): Training items.
        sample (BatchFn): Builds an augmented batch from item indices.
        recipe (ClassifierRecipe): Steps, batch size, optimiser settings, seed.
        log (Callable[[str], None]): Where progress lines go. Defaults to ``print``.
        log_every (int): Steps between progress lines. Defaults to 100.
        loss_fn (LossFn, optional): ``(logits, targets) -> loss``, for targets other than class
            indices (say multi-hot presence with ``binary_cross_entropy_with_logits``).
            Defaults to cross-entropy with ``recipe.label_smoothing``.

    Returns:
        list[float]: The mean training loss of each logged interval.

    Raises:
        ValueError: If there are no items or the loss becomes non-finite (names the step).
    """
    if num_items < 1:
        raise ValueError('train_classifier: the training split is empty')
    gen = torch.Generator().manual_seed(recipe.seed)
    decay = [p for n, p in model.named_parameters() if p.ndim > 1 and 'pos_embed' not in n]
    no_decay = [p for n, p in model.named_parameters() if not (p.ndim > 1 and 'pos_embed' not in n)]
    optimizer = torch.optim.AdamW(
        [
            {'params': decay, 'weight_decay': recipe.weight_decay},
            {'params': no_decay, 'weight_decay': 0.0},
        ],
        lr=recipe.lr,
    )
    model.train()
    order = torch.randperm(num_items, generator=gen)
    cursor, history, running, start = 0, [], 0.0, time.perf_counter()
    for step in range(recipe.steps):
        if cursor + recipe.batch_size > num_items:
            order, cursor = torch.randperm(num_items, generator=gen), 0
        indices = order[cursor : cursor + recipe.batch_size]
        cursor += recipe.batch_size
        inputs, targets = sample(gen, indices)
        for group in optimizer.param_groups:
            group['lr'] = recipe.lr * _lr_factor(step, recipe)
        if loss_fn is None:
            loss = F.cross_entropy(model(inputs), targets, label_smoothing=recipe.label_smoothing)
        else:
            loss = loss_fn(model(inputs), targets)
        if not torch.isfinite(loss):
            raise ValueError(f'train_classifier: non-finite loss {loss.item()} at step {step}')
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimizer.step()
        running += loss.item()
        if (step + 1) % log_every == 0 or step + 1 == recipe.steps:
            count = (step % log_every) + 1
            history.append(running / count)
            log(
                f'step {step + 1}/{recipe.steps} loss {running / count:.4f} '
                f'({time.perf_counter() - start:.0f} s)'
            )
            running = 0.0
    model.eval()
    return history


@torch.no_grad()
def clip_probabilities(
    model: nn.Module,
    views: ViewFn,
    num_clips: int,
    batch_size: int = 32,
    activation: str = 'softmax',
) -> Tensor:
    """Per-clip class probabilities: ``activation`` of each view's logits, averaged over views.

    Args:
        model (nn.Module): The classifier (set to eval mode).
        views (ViewFn): ``indices -> (V, B, ...)`` inputs of V views of B clips.
        num_clips (int): Clips ``0 .. num_clips - 1`` are scored.
        batch_size (int): Clips per forward. Defaults to 32.
        activation (str): ``'softmax'`` (one class per input) or ``'sigmoid'`` (multi-label).
            Defaults to ``'softmax'``.

    Returns:
        Tensor: ``(num_clips, C)``.

    Raises:
        ValueError: If ``activation`` is neither.
    """
    if activation not in ('softmax', 'sigmoid'):
        raise ValueError(f"activation must be 'softmax' or 'sigmoid', got {activation!r}")
    model.eval()
    probs = []
    for start in range(0, num_clips, batch_size):
        indices = torch.arange(start, min(start + batch_size, num_clips))
        x = views(indices)
        logits = model(x.flatten(0, 1)).view(x.shape[0], x.shape[1], -1)
        p = logits.softmax(dim=-1) if activation == 'softmax' else logits.sigmoid()
        probs.append(p.mean(dim=0))
    return torch.cat(probs)


def evaluate_classifier(
    model: nn.Module,
    views: ViewFn,
    labels: Tensor,
    topk: tuple[int, ...] = (1, 3),
    batch_size: int = 32,
    activation: str = 'softmax',
) -> dict[str, float]:
    """Top-k accuracy of clip predictions (probabilities averaged over each clip's views).

    Args:
        model (nn.Module): The classifier (set to eval mode).
        views (ViewFn): ``indices -> (V, B, ...)`` inputs of V views of B clips.
        labels (Tensor): ``(N,)`` targets.
        topk (tuple[int, ...]): The k of the reported accuracies. Defaults to ``(1, 3)``.
        batch_size (int): Clips per forward. Defaults to 32.
        activation (str): How logits become probabilities (:func:`clip_probabilities`).
            Defaults to ``'softmax'``.

    Returns:
        dict[str, float]: ``top{k}`` accuracies in [0, 1], plus ``num_clips``.
    """
    scores = clip_probabilities(model, views, labels.shape[0], batch_size, activation)
    out = {}
    for k in topk:
        hit = (scores.topk(k, dim=-1).indices == labels[:, None]).any(dim=-1)
        out[f'top{k}'] = float(hit.float().mean())
    out['num_clips'] = int(labels.shape[0])
    return out
