"""Visual-audio contrastive loss: symmetric InfoNCE between paired clip embeddings."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import nn

from avssl.registry import MODELS


def av_infonce(
    video: torch.Tensor, audio: torch.Tensor, temperature: float
) -> tuple[torch.Tensor, torch.Tensor]:
    """Symmetric InfoNCE with the matching pairs on the diagonal.

    ``S = V A^T / t`` for L2-normalised rows; the loss is the mean of the cross-entropy of the
    rows (video to audio) and of the columns (audio to video), each averaged over the batch.

    Args:
        video (Tensor): ``(B, D)`` L2-normalised video embeddings.
        audio (Tensor): ``(B, D)`` L2-normalised audio embeddings; row ``i`` pairs with video
            row ``i``.
        temperature (float): ``t``.

    Returns:
        tuple[Tensor, Tensor]: The loss (scalar) and the retrieval accuracy (share of rows and
        columns whose largest entry is on the diagonal, scalar, no gradient).
    """
    if video.shape != audio.shape or video.dim() != 2:
        raise ValueError(
            f'expected video and audio embeddings of one shape (B, D), got '
            f'{tuple(video.shape)} and {tuple(audio.shape)}'
        )
    sim = video @ audio.t() / temperature
    target = torch.arange(sim.shape[0], device=sim.device)
    loss = 0.5 * (F.cross_entropy(sim, target) + F.cross_entropy(sim.t(), target))
    with torch.no_grad():
        acc = 0.5 * (
            (sim.argmax(dim=1) == target).float().mean()
            + (sim.argmax(dim=0) == target).float().mean()
        )
    return loss, acc


@MODELS.register_module()
class AVContrastiveLoss(BaseModule):
    """The visual-audio contrastive loss with its projections (``docs/method.md`` section 4.4).

    The video and audio embeddings (first tokens of the two encoders) go through linear
    projections to a shared width where the widths differ (or always, with
    ``always_project``), are L2-normalised and compared by :func:`av_infonce` within the
    batch it is given (no gather across ranks).

    Args:
        video_dims (int): Width of the video embedding. Defaults to 768.
        audio_dims (int): Width of the audio embedding. Defaults to 768.
        embed_dims (int | None): Shared width; None takes ``min(video_dims, audio_dims)``.
            Defaults to None.
        temperature (float): Temperature ``t``. Defaults to 0.07.
        always_project (bool): Project both streams even when the widths are equal.
            Defaults to False.
        init_cfg (dict | list[dict] | None): mmengine initialisation config. Defaults to None.
    """

    def __init__(
        self,
        video_dims: int = 768,
        audio_dims: int = 768,
        embed_dims: int | None = None,
        temperature: float = 0.07,
        always_project: bool = False,
        init_cfg: dict | list[dict] | None = None,
    ) -> None:
        super().__init__(init_cfg=init_cfg)
        if temperature <= 0:
            raise ValueError(f'AVContrastiveLoss: temperature must be > 0, got {temperature}')
        width = embed_dims if embed_dims is not None else min(video_dims, audio_dims)
        self.temperature = float(temperature)
        self.embed_dims = width

        def proj(dims: int) -> nn.Module:
            if dims == width and not always_project:
                return nn.Identity()
            return nn.Linear(dims, width)

        self.video_proj = proj(video_dims)
        self.audio_proj = proj(audio_dims)

    def forward(
        self, video: torch.Tensor, audio: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Loss and retrieval accuracy of paired embeddings.

        Args:
            video (Tensor): ``(B, Dv)``.
            audio (Tensor): ``(B, Da)``.

        Returns:
            tuple[Tensor, Tensor]: Loss and accuracy, as :func:`av_infonce`.
        """
        v = F.normalize(self.video_proj(video).float(), dim=-1)
        a = F.normalize(self.audio_proj(audio).float(), dim=-1)
        return av_infonce(v, a, self.temperature)
