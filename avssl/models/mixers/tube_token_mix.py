"""TubeToken Mix (SVFormer): the same random token positions of clip A in every frame."""

from __future__ import annotations

from typing import Any

import torch

from avssl.registry import MODELS

from .base_mix import BaseTokenMix, MixOutput
from .sampling import sample_beta

_COUNTS = ('round', 'floor')
_TARGET_LAMS = ('sampled', 'kept')


@MODELS.register_module()
class TubeTokenMix(BaseTokenMix):
    """SVFormer's tube token mask: ``lambda ~ Beta(alpha, beta)``, a tube of clip A's tokens.

    For each mask pattern, ``K = round(lambda * N)`` (or ``floor``) of the ``N = H' * W'``
    spatial token positions are chosen uniformly without replacement; they keep clip A's tokens
    in every one of the T frames (a tube), all other positions take clip B's. Clip B is
    ``partner[i]``, a uniformly random permutation of the batch (a clip may be paired with
    itself). Everything is drawn from the module's generator in this order: lambda(s), the
    spatial pattern(s), the permutation.

    The returned ``lam`` is, by default, the sampled lambda, as SVFormer uses it for the mixed
    target and weight; the fraction of tokens actually kept is ``K / N``, which differs from it
    by at most ``1 / (2 N)`` with ``'round'`` and ``1 / N`` with ``'floor'`` (``target_lam='kept'``
    returns ``K / N`` instead).

    Args:
        alpha (float): First Beta parameter. Defaults to 10.0.
        beta (float): Second Beta parameter. Defaults to 10.0.
        count (str): Positions per frame: ``'round'`` = ``round(lambda * N)``; ``'floor'`` =
            ``int(lambda * N)``, SVFormer's code. Defaults to ``'round'``.
        per_sample (bool): False = one lambda and one spatial pattern for the whole batch
            (SVFormer's code); True = a lambda and a pattern per clip. Defaults to False.
        target_lam (str): ``'sampled'`` = return the sampled lambda (SVFormer);
            ``'kept'`` = return the kept fraction ``K / N``. Defaults to ``'sampled'``.
        seed (int | None): Seed of the module's generator; see :class:`BaseTokenMix`.
            Defaults to None.
    """

    def __init__(
        self,
        alpha: float = 10.0,
        beta: float = 10.0,
        count: str = 'round',
        per_sample: bool = False,
        target_lam: str = 'sampled',
        seed: int | None = None,
    ) -> None:
        super().__init__(seed=seed)
        if not (alpha > 0 and beta > 0):
            raise ValueError(f'TubeTokenMix: alpha and beta must be > 0, got {alpha}, {beta}')
        if count not in _COUNTS:
            raise ValueError(f'TubeTokenMix: count must be one of {_COUNTS}, got {count!r}')
        if target_lam not in _TARGET_LAMS:
            raise ValueError(
                f'TubeTokenMix: target_lam must be one of {_TARGET_LAMS}, got {target_lam!r}'
            )
        self.alpha = float(alpha)
        self.beta = float(beta)
        self.count = count
        self.per_sample = bool(per_sample)
        self.target_lam = target_lam

    def extra_repr(self) -> str:
        return (
            f'alpha={self.alpha}, beta={self.beta}, count={self.count!r}, '
            f'per_sample={self.per_sample}, target_lam={self.target_lam!r}'
        )

    def num_kept(self, lam: torch.Tensor, num_tokens: int) -> torch.Tensor:
        """Number of positions per frame that keep clip A's tokens.

        Args:
            lam (torch.Tensor): Sampled lambdas, any shape, in ``[0, 1]``.
            num_tokens (int): Spatial positions per frame N.

        Returns:
            torch.Tensor: ``round(lam * N)`` or ``floor(lam * N)`` (per ``count``), long,
            clamped to ``[0, N]``, same shape as ``lam``.
        """
        scaled = lam.double() * num_tokens
        kept = torch.round(scaled) if self.count == 'round' else torch.floor(scaled)
        return kept.long().clamp_(0, num_tokens)

    def forward(
        self,
        batch_size: int,
        grid: tuple[int, int, int],
        device: torch.device | str | None = None,
        context: dict[str, Any] | None = None,
    ) -> MixOutput:
        """Draw lambda(s), the tube mask(s) and the partner permutation of one batch.

        Args:
            batch_size (int): Number of clips B.
            grid (tuple[int, int, int]): Token grid ``(T, H', W')``; ``N = H' * W'``.
            device (torch.device | str | None): Device of the outputs. Defaults to None (CPU).
            context (dict[str, Any] | None): Unused. Defaults to None.

        Returns:
            MixOutput: ``mask`` ``(B, T, N)`` bool with exactly ``K_i`` True entries per
            frame, at the same positions in every frame; ``lam`` ``(B,)`` float32;
            ``partner`` ``(B,)`` long permutation.
        """
        frames, rows, cols = self.check_call(batch_size, grid)
        num_tokens = rows * cols
        gen = self.generator
        draws = batch_size if self.per_sample else 1
        lam = sample_beta(self.alpha, self.beta, draws, gen)  # (draws,)
        kept = self.num_kept(lam, num_tokens)  # (draws,)
        # A uniformly random subset of size K: the positions whose random rank is below K.
        ranks = torch.rand(draws, num_tokens, generator=gen).argsort(dim=1).argsort(dim=1)
        spatial = ranks < kept.unsqueeze(1)  # (draws, N)
        partner = torch.randperm(batch_size, generator=gen)
        if self.target_lam == 'kept':
            lam = kept.double() / num_tokens
        mask = spatial.unsqueeze(1).expand(draws, frames, num_tokens)
        mask = mask.expand(batch_size, frames, num_tokens).contiguous()
        lam = lam.float().expand(batch_size).contiguous()
        return MixOutput(mask.to(device), lam.to(device), partner.to(device))
