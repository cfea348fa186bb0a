"""Restrict the teacher's pseudo-labels to the classes one modality's classifier finds plausible."""

from __future__ import annotations

import torch
from torch import Tensor, nn

from avssl.registry import MODELS

#: Modalities whose auxiliary classifier can gate (those of ``UnimodalAuxHead``).
GATE_MODALITIES = ('video', 'audio')


@MODELS.register_module()
class ModalityGate(nn.Module):
    """Keep only the classes one modality's own classifier rates at least at chance.

    A late-fusion teacher (``fused + video + audio`` logits, ``UnimodalAuxHead``) can lose
    what one modality knows well to the others: on SynthAV the audio classifier names the
    sounding object's family on 88-94% of the unlabeled clips at 5 shots, the summed
    prediction on 77-82%, because a video classifier that cannot tell which of the objects on
    screen is sounding pulls it to the wrong one. The gate asks the modality's classifier
    which classes are plausible at all, and the teacher chooses among those:

        ``allowed_c = softmax(logits_m)_c >= floor``  (``floor`` defaults to ``1 / C``)
        ``q_ic = probs_ic * allowed_ic / sum_c' probs_ic' * allowed_ic'``

    With the floor at chance there is nothing to tune: a class the modality rates above a
    uniform guess stays, one it rates below goes. At least one class always reaches ``1 / C``
    (the largest probability of ``C`` does); where a higher floor leaves none, or the teacher
    gives the allowed classes no mass at all, the clip keeps its ungated vector. A modality
    that knows nothing about a clip (a flat distribution) keeps most classes, so the gate
    then changes little. The gated vectors are what the threshold module, the pseudo-labels
    and the mix targets see; prediction is never gated.

    Args:
        modality (str): ``'audio'`` (default) or ``'video'``: whose auxiliary classifier gates.
        floor (float | None): Probability a class needs under that classifier to stay; None
            (default) for chance, ``1 / C``.
    """

    def __init__(self, modality: str = 'audio', floor: float | None = None) -> None:
        super().__init__()
        if modality not in GATE_MODALITIES:
            raise ValueError(
                f'ModalityGate modality must be one of {GATE_MODALITIES}, got {modality!r}'
            )
        if floor is not None and not 0.0 < floor <= 1.0:
            raise ValueError(f'ModalityGate floor must lie in (0, 1] or be None, got {floor!r}')
        self.modality = modality
        self.floor = floor

    def allowed(self, logits: Tensor) -> Tensor:
        """``(B, C)`` bool: the classes whose probability under ``logits`` reaches the floor."""
        if logits.dim() != 2:
            raise ValueError(
                f'ModalityGate expects logits of shape (B, C), got {tuple(logits.shape)}'
            )
        floor = 1.0 / logits.shape[1] if self.floor is None else self.floor
        return logits.float().softmax(dim=-1) >= floor

    def forward(self, probs: Tensor, logits: Tensor) -> tuple[Tensor, Tensor]:
        """Gate ``probs`` with the modality's ``logits``.

        Args:
            probs (Tensor): The teacher's probabilities, ``(B, C)``.
            logits (Tensor): The gating modality's classifier logits, ``(B, C)``.

        Returns:
            tuple[Tensor, Tensor]: The gated probabilities ``(B, C)`` (rows sum to 1) and the
            number of classes each clip keeps ``(B,)`` (``C`` where the clip fell back).

        Raises:
            ValueError: If the shapes differ.
        """
        if probs.shape != logits.shape:
            raise ValueError(
                f'ModalityGate: teacher probabilities {tuple(probs.shape)} and {self.modality} '
                f'logits {tuple(logits.shape)} differ in shape'
            )
        allowed = self.allowed(logits)
        gated = probs * allowed.to(probs.dtype)
        mass = gated.sum(dim=-1, keepdim=True)
        keep = mass.squeeze(-1) > 0
        gated = torch.where(
            keep[:, None], gated / mass.clamp_min(torch.finfo(probs.dtype).tiny), probs
        )
        kept = torch.where(
            keep, allowed.sum(dim=-1), torch.full_like(keep, probs.shape[1], dtype=torch.long)
        )
        return gated, kept
