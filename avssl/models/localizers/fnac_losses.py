"""FNAC's training objective as pure functions: max-pooled InfoNCE plus three L1 terms.

Notation (``docs/method.md`` section 5): ``v_i(p)`` is the L2-normalised visual feature of image
``i`` at grid location ``p``, ``a_j`` the L2-normalised embedding of audio ``j`` and ``t`` the
temperature.

- ``S_ij(p) = <v_i(p), a_j> / t``: all image-audio similarity maps, ``(B, B, h, w)``;
- ``L_ij = max_p S_ij(p)``: the logits of the symmetric InfoNCE (image ``i`` vs audio ``j``);
- audio-audio similarity ``A = a a^T / t``, image-image similarity ``I = m m^T / t`` of the
  spatial means ``m_i = mean_p v_i(p)``, foreground similarity ``F = f f^T / t`` of the
  foreground features ``f_i`` (the visual features where the min-max normalised map ``S_ii``
  exceeds a threshold, averaged);
- the three FNAC terms compare row-softmaxed matrices with a mean absolute difference:
  ``fn_audio = l1(softmax(A), softmax(L))`` (false negatives, audio side),
  ``tn = l1(softmax(A), softmax(F))`` (true negatives),
  ``fn_image = l1(softmax(I), softmax(L))`` (false negatives, image side).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .map_smoothing import smooth_maps

#: Foreground pooling modes: ``'masked'`` averages over the foreground locations
#: (``docs/method.md`` section 5), ``'grid'`` sums them and divides by all ``h * w`` locations
#: (the FNAC code).
FG_POOLS: tuple[str, ...] = ('masked', 'grid')
#: How the two InfoNCE directions combine: ``'sum'`` (the FNAC code) or ``'mean'``.
INFONCE_REDUCTIONS: tuple[str, ...] = ('sum', 'mean')
#: How the similarity maps become the InfoNCE logits: FNAC's max over locations, or the mean.
LOGIT_POOLS: tuple[str, ...] = ('max', 'mean')


def similarity_maps(visual: torch.Tensor, audio: torch.Tensor, tau: float) -> torch.Tensor:
    """All image-audio similarity maps ``S_ij(p) = <v_i(p), a_j> / tau``.

    Args:
        visual (Tensor): ``(B, C, h, w)`` L2-normalised (over ``C``) visual features.
        audio (Tensor): ``(B2, C)`` L2-normalised audio embeddings.
        tau (float): Temperature.

    Returns:
        Tensor: ``(B, B2, h, w)``: entry ``[i, j]`` is image ``i`` against audio ``j``.
    """
    return torch.einsum('nchw,mc->nmhw', visual, audio) / tau


def max_pooled_logits(maps: torch.Tensor) -> torch.Tensor:
    """``L_ij = max_p S_ij(p)``: each map's largest similarity.

    Args:
        maps (Tensor): ``(B, B2, h, w)`` from :func:`similarity_maps`.

    Returns:
        Tensor: ``(B, B2)``.
    """
    return maps.flatten(2).amax(dim=-1)


def symmetric_infonce(logits: torch.Tensor, reduction: str = 'sum') -> torch.Tensor:
    """Cross-entropy of the rows (image to audio) and of the columns (audio to image).

    The matching pairs are on the diagonal; each direction is averaged over the batch.

    Args:
        logits (Tensor): ``(B, B)``.
        reduction (str): ``'sum'`` of the two directions (as FNAC's code) or their
            ``'mean'``. Defaults to ``'sum'``.

    Returns:
        Tensor: Scalar loss.
    """
    if reduction not in INFONCE_REDUCTIONS:
        raise ValueError(f'reduction must be one of {INFONCE_REDUCTIONS}, got {reduction!r}')
    if logits.dim() != 2 or logits.shape[0] != logits.shape[1]:
        raise ValueError(f'expected square logits (B, B), got {tuple(logits.shape)}')
    target = torch.arange(logits.shape[0], device=logits.device)
    loss = F.cross_entropy(logits, target) + F.cross_entropy(logits.t(), target)
    return loss if reduction == 'sum' else loss / 2


def min_max_normalize(maps: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    """Scale each map to ``[0, 1]``: ``(x - min) / (max - min + eps)``.

    Args:
        maps (Tensor): ``(B, h, w)``.
        eps (float): Added to the range (a constant map becomes 0). Defaults to 1e-5.

    Returns:
        Tensor: ``(B, h, w)``.
    """
    low = maps.amin(dim=(-2, -1), keepdim=True)
    high = maps.amax(dim=(-2, -1), keepdim=True)
    return (maps - low) / (high - low + eps)


def foreground_features(
    visual: torch.Tensor, maps: torch.Tensor, threshold: float = 0.6, pool: str = 'masked'
) -> torch.Tensor:
    """Average visual feature of the locations where the min-max normalised map > threshold.

    The mask is not differentiable (a threshold); gradients reach the features it selects.

    Args:
        visual (Tensor): ``(B, C, h, w)``.
        maps (Tensor): ``(B, h, w)`` localisation maps ``S_ii`` (any scale).
        threshold (float): Threshold on the min-max normalised map. Defaults to 0.6.
        pool (str): ``'masked'``: mean over the foreground locations (zero when there are
            none); ``'grid'``: their sum divided by ``h * w`` (FNAC's code). Defaults to
            ``'masked'``.

    Returns:
        Tensor: ``(B, C)``.
    """
    if pool not in FG_POOLS:
        raise ValueError(f'pool must be one of {FG_POOLS}, got {pool!r}')
    mask = (min_max_normalize(maps.detach()) > threshold).to(visual.dtype)  # (B, h, w)
    total = (visual * mask[:, None]).flatten(2).sum(dim=-1)
    if pool == 'grid':
        return total / float(mask.shape[-2] * mask.shape[-1])
    count = mask.flatten(1).sum(dim=-1, keepdim=True).clamp(min=1.0)
    return total / count


def softmax_l1(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Mean absolute difference of the row softmaxes of two ``(B, B)`` matrices.

    Args:
        a (Tensor): ``(B, B)``.
        b (Tensor): ``(B, B)``.

    Returns:
        Tensor: Scalar.
    """
    return F.l1_loss(a.softmax(dim=1), b.softmax(dim=1))


def fnac_loss_terms(
    visual: torch.Tensor,
    audio: torch.Tensor,
    tau: float,
    fg_threshold: float = 0.6,
    fg_pool: str = 'masked',
    infonce_reduction: str = 'sum',
    logit_pool: str = 'max',
    map_sigma: float = 0.0,
) -> dict[str, torch.Tensor]:
    """The unweighted terms of FNAC's objective.

    Args:
        visual (Tensor): ``(B, C, h, w)`` L2-normalised visual features.
        audio (Tensor): ``(B, C)`` L2-normalised audio embeddings.
        tau (float): Temperature (0.03 in FNAC).
        fg_threshold (float): Foreground threshold of the true-negative term. Defaults to 0.6.
        fg_pool (str): See :func:`foreground_features`. Defaults to ``'masked'``.
        infonce_reduction (str): See :func:`symmetric_infonce`. Defaults to ``'sum'``.
        logit_pool (str): ``'max'`` over locations (FNAC) or ``'mean'`` (a global,
            clip-level similarity; see ``FNAC(mean_pool_iters=...)``). Defaults to ``'max'``.
        map_sigma (float): Gaussian blur of every similarity map over the grid (in cells,
            :func:`~avssl.models.localizers.map_smoothing.smooth_maps`) before the logits
            and the foreground mask; 0 = FNAC. Defaults to 0.

    Returns:
        dict[str, Tensor]: ``infonce``, ``fn_audio``, ``tn``, ``fn_image`` (scalars) and
        ``logits`` ``(B, B)`` (``L``, for diagnostics).
    """
    maps = smooth_maps(similarity_maps(visual, audio, tau), map_sigma)
    if logit_pool not in LOGIT_POOLS:
        raise ValueError(f'logit_pool must be one of {LOGIT_POOLS}, got {logit_pool!r}')
    if logit_pool == 'max':
        logits = max_pooled_logits(maps)
    else:
        logits = maps.flatten(2).mean(dim=-1)
    idx = torch.arange(visual.shape[0], device=visual.device)
    own_maps = maps[idx, idx]  # (B, h, w): S_ii
    audio_sim = audio @ audio.t() / tau
    means = visual.mean(dim=(-2, -1))
    image_sim = means @ means.t() / tau
    fg = foreground_features(visual, own_maps, fg_threshold, fg_pool)
    fg_sim = fg @ fg.t() / tau
    return dict(
        infonce=symmetric_infonce(logits, infonce_reduction),
        fn_audio=softmax_l1(audio_sim, logits),
        tn=softmax_l1(audio_sim, fg_sim),
        fn_image=softmax_l1(image_sim, logits),
        logits=logits,
    )
