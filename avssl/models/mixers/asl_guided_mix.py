"""ASL-guided token mix (the paper's method): keep the sounding region of clip A, frame by frame."""

from __future__ import annotations

from typing import Any, ClassVar

import torch
import torch.nn.functional as F

from avssl.registry import MODELS

from .base_mix import BaseTokenMix, MixOutput
from .sampling import sample_beta

#: Context key of the localization maps ``(B, T, h, w)`` of clips A.
MAPS_KEY = 'asl_maps'
_TARGET_LAMS = ('sampled', 'kept')


def normalize_maps(maps: torch.Tensor, grid: tuple[int, int], eps: float = 1e-6) -> torch.Tensor:
    """Resize maps to the token grid (bilinear) and min-max normalise each one to ``[0, 1]``.

    Args:
        maps (Tensor): ``(B, T, h, w)`` localization maps (any scale).
        grid (tuple[int, int]): Token grid ``(H', W')``.
        eps (float): Added to each map's range; a constant map becomes all zeros.
            Defaults to 1e-6.

    Returns:
        Tensor: ``(B, T, H' * W')`` float32 in ``[0, 1]``, row-major like the patch tokens.
    """
    batch, frames = maps.shape[:2]
    flat = maps.float().reshape(batch * frames, 1, *maps.shape[-2:])
    if tuple(flat.shape[-2:]) != tuple(grid):
        flat = F.interpolate(flat, size=tuple(grid), mode='bilinear', align_corners=False)
    flat = flat.reshape(batch, frames, -1)
    low = flat.amin(dim=-1, keepdim=True)
    high = flat.amax(dim=-1, keepdim=True)
    return (flat - low) / (high - low + eps)


def average_adjacent_frames(maps: torch.Tensor, k: int) -> torch.Tensor:
    """Replace each frame's map by the mean over its group of ``k`` adjacent frames.

    Args:
        maps (Tensor): ``(B, T, N)``; ``k`` must divide ``T``.
        k (int): Group size (1 = unchanged, T = one map for the whole clip).

    Returns:
        Tensor: ``(B, T, N)``, equal within each group.
    """
    batch, frames, tokens = maps.shape
    if k == 1:
        return maps
    if frames % k:
        raise ValueError(f'average_frames={k} must divide the number of frames {frames}')
    groups = maps.reshape(batch, frames // k, k, tokens).mean(dim=2, keepdim=True)
    return groups.expand(batch, frames // k, k, tokens).reshape(batch, frames, tokens)


@MODELS.register_module()
class ASLGuidedMix(BaseTokenMix):
    """Audio-source-localization guided token mix (``docs/method.md`` section 4.3).

    For each clip A (the batch element) the recognizer supplies its localization maps
    (``context['asl_maps']``, ``(B, T, h, w)``: one map per frame from the frozen localizer).
    Each map is resized to the token grid and min-max normalised per frame (optionally
    averaged over ``average_frames`` adjacent frames first). ``lambda ~ Beta(alpha, beta)``
    per clip; in every frame ``K = round(lambda * N)`` token positions are drawn without
    replacement with probability proportional to ``map + floor`` (so a flat, all-zero map
    still samples uniformly); they keep clip A's tokens, all others take clip ``partner``'s
    (a random permutation of the batch). Unlike the tube mask, the positions differ from frame
    to frame when the maps do.

    Sampling without replacement in proportion to the weights is done with the Gumbel top-k
    trick (the ``K`` largest ``log w + Gumbel`` keys), which has the same distribution as
    ``torch.multinomial(w, K, replacement=False)`` and works for all rows at once. All draws
    come from the module's generator (lambda, the keys, the permutation), in that order.

    Args:
        alpha (float): First Beta parameter. Defaults to 5.0.
        beta (float): Second Beta parameter. Defaults to 10.0 (mean 1/3).
        floor (float): Added to the normalised map before sampling. Defaults to 0.01.
        average_frames (int): Average the maps over this many adjacent frames (1, 2, 4 or 8
            in the paper's Fig. 5; must divide T). Defaults to 1.
        per_sample (bool): A lambda per clip (default, as every clip has its own map) or one
            for the batch. Defaults to True.
        target_lam (str): ``'sampled'`` returns the sampled lambda for the target and weight;
            ``'kept'`` the kept fraction ``K / N``. Defaults to ``'sampled'``.
        seed (int | None): Seed of the module's generator; see :class:`BaseTokenMix`.
            Defaults to None.
    """

    context_keys: ClassVar[tuple[str, ...]] = (MAPS_KEY,)

    def __init__(
        self,
        alpha: float = 5.0,
        beta: float = 10.0,
        floor: float = 0.01,
        average_frames: int = 1,
        per_sample: bool = True,
        target_lam: str = 'sampled',
        seed: int | None = None,
    ) -> None:
        super().__init__(seed=seed)
        if not (alpha > 0 and beta > 0):
            raise ValueError(f'ASLGuidedMix: alpha and beta must be > 0, got {alpha}, {beta}')
        if not floor > 0:
            raise ValueError(f'ASLGuidedMix: floor must be > 0, got {floor}')
        if int(average_frames) != average_frames or average_frames < 1:
            raise ValueError(f'ASLGuidedMix: average_frames must be >= 1, got {average_frames}')
        if target_lam not in _TARGET_LAMS:
            raise ValueError(
                f'ASLGuidedMix: target_lam must be one of {_TARGET_LAMS}, got {target_lam!r}'
            )
        self.alpha = float(alpha)
        self.beta = float(beta)
        self.floor = float(floor)
        self.average_frames = int(average_frames)
        self.per_sample = bool(per_sample)
        self.target_lam = target_lam

    def extra_repr(self) -> str:
        return (
            f'alpha={self.alpha}, beta={self.beta}, floor={self.floor}, '
            f'average_frames={self.average_frames}, per_sample={self.per_sample}'
        )

    def sampling_weights(self, maps: torch.Tensor, grid: tuple[int, int, int]) -> torch.Tensor:
        """The per-frame sampling weights ``normalised map + floor`` on the token grid.

        Args:
            maps (Tensor): ``(B, T, h, w)`` localization maps.
            grid (tuple[int, int, int]): Token grid ``(T, H', W')``.

        Returns:
            Tensor: ``(B, T, H' * W')`` float32, all > 0.
        """
        frames, rows, cols = grid
        if maps.dim() != 4 or maps.shape[1] != frames:
            raise ValueError(
                f'ASLGuidedMix expects maps (B, T={frames}, h, w), got {tuple(maps.shape)}'
            )
        norm = normalize_maps(maps, (rows, cols))
        return average_adjacent_frames(norm, self.average_frames) + self.floor

    def forward(
        self,
        batch_size: int,
        grid: tuple[int, int, int],
        device: torch.device | str | None = None,
        context: dict[str, Any] | None = None,
    ) -> MixOutput:
        """Draw lambda per clip, the map-guided masks and the partner permutation.

        Args:
            batch_size (int): Number of clips B.
            grid (tuple[int, int, int]): Token grid ``(T, H', W')``; ``N = H' * W'``.
            device (torch.device | str | None): Device of the outputs. Defaults to None (CPU).
            context (dict[str, Any] | None): Must hold ``'asl_maps'`` ``(B, T, h, w)``.

        Returns:
            MixOutput: ``mask`` ``(B, T, N)`` bool with exactly ``K_i`` True entries in every
            frame of clip ``i``; ``lam`` ``(B,)`` float32; ``partner`` ``(B,)`` long.
        """
        frames, rows, cols = self.check_call(batch_size, grid)
        if not context or MAPS_KEY not in context:
            raise KeyError(
                "ASLGuidedMix needs context['asl_maps'] (the localizer's maps); configure "
                'model.localizer'
            )
        maps = context[MAPS_KEY]
        if maps.shape[0] != batch_size:
            raise ValueError(f'asl_maps has {maps.shape[0]} clips, the batch {batch_size}')
        num_tokens = rows * cols
        weights = self.sampling_weights(maps.detach().cpu(), (frames, rows, cols))
        gen = self.generator
        draws = batch_size if self.per_sample else 1
        lam = sample_beta(self.alpha, self.beta, draws, gen).expand(batch_size)
        kept = torch.round(lam.double() * num_tokens).long().clamp_(0, num_tokens)
        # Gumbel top-k: the K largest keys log(w) + G, G ~ Gumbel(0, 1).
        uniform = torch.rand(weights.shape, generator=gen, dtype=torch.float64)
        gumbel = -torch.log(-torch.log(uniform.clamp_(1e-12, 1 - 1e-12)))
        keys = weights.double().log() + gumbel
        ranks = keys.argsort(dim=-1, descending=True).argsort(dim=-1)
        mask = ranks < kept.view(-1, 1, 1)
        partner = torch.randperm(batch_size, generator=gen)
        if self.target_lam == 'kept':
            lam = kept.double() / num_tokens
        return MixOutput(mask.to(device), lam.float().contiguous().to(device), partner.to(device))
