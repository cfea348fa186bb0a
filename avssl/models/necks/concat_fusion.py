"""Late fusion by concatenation of the video and audio embeddings."""

from __future__ import annotations

import torch
from mmengine.model import BaseModule

from avssl.registry import MODELS


@MODELS.register_module()
class ConcatFusion(BaseModule):
    """Concatenate the class-token embeddings of the modalities that are present.

    The simplest fusion, used by the supervised audio-visual models: a linear head on the
    concatenation equals a sum of per-modality linear classifiers.

    Args:
        init_cfg (dict | None): mmengine initialisation config. Defaults to None.
    """

    def forward(self, video: torch.Tensor | None, audio: torch.Tensor | None) -> torch.Tensor:
        """Fuse.

        Args:
            video (Tensor | None): ``(N, Dv)`` or None.
            audio (Tensor | None): ``(N, Da)`` or None.

        Returns:
            Tensor: ``(N, Dv + Da)`` (or the one embedding that is present).
        """
        parts = [x for x in (video, audio) if x is not None]
        if not parts:
            raise ValueError('ConcatFusion got neither a video nor an audio embedding')
        if len(parts) == 2 and parts[0].shape[0] != parts[1].shape[0]:
            raise ValueError(
                f'video ({parts[0].shape[0]}) and audio ({parts[1].shape[0]}) embeddings have '
                'different batch sizes'
            )
        return torch.cat(parts, dim=-1)
