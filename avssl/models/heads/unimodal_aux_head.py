"""Per-modality auxiliary classifiers that keep both encoders of an audio-visual network useful."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import nn

from avssl.registry import MODELS

MODALITIES = ('video', 'audio')


@MODELS.register_module()
class UnimodalAuxHead(BaseModule):
    """A linear classifier on each encoder's class token, trained on the labels only.

    A jointly trained audio-visual network tends to lean on whichever modality fits the few
    labels first and to leave the other encoder under-trained (the "modality imbalance" of
    gradient-blending and OGM-GE). With one label per class, our tiny audio-visual network
    mostly follows its frames although audio alone is worth more (``docs/reproduction.md``,
    "Which input decides"). This head gives each encoder its own cross-entropy on the labeled
    clips, so that both stay discriminative whatever the fused head does.

    With ``fuse_weight`` 0 (default) the fused head alone makes the prediction, the
    pseudo-labels and the mix targets. With ``fuse_weight`` w > 0 the network's logits become
    ``fused + w * (video + audio)`` (a late-fusion ensemble of the three classifiers) wherever
    the network classifies: the labeled and unlabeled losses, the teacher's pseudo-labels, the
    mix and the prediction. Each auxiliary classifier still gets its own labeled loss.

    Args:
        num_classes (int): Number of classes (filled from the network's head when None).
        video_dims (int | None): Width of the video class token; None: no video classifier.
        audio_dims (int | None): Width of the audio class token; None: no audio classifier.
        loss_weight (float): Weight of each auxiliary cross-entropy. Defaults to 1.
        fuse_weight (float): Weight of the auxiliary logits added to the fused head's.
            Defaults to 0 (the fused head alone classifies).
        modality_weights (dict[str, float] | None): A further weight per modality inside the
            sum, ``fused + fuse_weight * sum_m modality_weights[m] * logits_m`` (say
            ``dict(video=0.5)`` to let a video classifier that cannot single out the
            sounding object pull the prediction less). Missing modalities weigh 1. Defaults
            to None (every modality 1).
        init_std (float): Std of the normal initialisation of the weights. Defaults to 0.02.
        init_cfg (dict | None): mmengine initialisation config. Defaults to None.
    """

    def __init__(
        self,
        num_classes: int,
        video_dims: int | None = None,
        audio_dims: int | None = None,
        loss_weight: float = 1.0,
        fuse_weight: float = 0.0,
        modality_weights: dict[str, float] | None = None,
        init_std: float = 0.02,
        init_cfg: dict | None = None,
    ) -> None:
        super().__init__(init_cfg=init_cfg)
        if num_classes is None or num_classes < 2:
            raise ValueError(f'UnimodalAuxHead needs num_classes >= 2, got {num_classes}')
        if video_dims is None and audio_dims is None:
            raise ValueError('UnimodalAuxHead needs video_dims, audio_dims or both')
        if loss_weight < 0:
            raise ValueError(f'UnimodalAuxHead loss_weight must be >= 0, got {loss_weight}')
        if fuse_weight < 0:
            raise ValueError(f'UnimodalAuxHead fuse_weight must be >= 0, got {fuse_weight}')
        weights = dict(modality_weights or {})
        unknown = sorted(set(weights) - set(MODALITIES))
        if unknown:
            raise ValueError(
                f'UnimodalAuxHead modality_weights has unknown modalities {unknown}; '
                f'known: {list(MODALITIES)}'
            )
        if any(w < 0 for w in weights.values()):
            raise ValueError(f'UnimodalAuxHead modality_weights must be >= 0, got {weights}')
        self.num_classes = num_classes
        self.loss_weight = float(loss_weight)
        self.fuse_weight = float(fuse_weight)
        self.modality_weights = {m: float(weights.get(m, 1.0)) for m in MODALITIES}
        self.init_std = init_std
        self.classifiers = nn.ModuleDict()
        for name, dims in zip(MODALITIES, (video_dims, audio_dims), strict=True):
            if dims is not None:
                self.classifiers[name] = nn.Linear(dims, num_classes)

    @property
    def modalities(self) -> tuple[str, ...]:
        """tuple[str, ...]: The modalities that have a classifier."""
        return tuple(m for m in MODALITIES if m in self.classifiers)

    def init_weights(self) -> None:
        """Normal weights (std ``init_std``), zero biases, as mmaction2's heads."""
        super().init_weights()
        for layer in self.classifiers.values():
            nn.init.normal_(layer.weight, std=self.init_std)
            nn.init.zeros_(layer.bias)

    def forward(self, video: torch.Tensor | None, audio: torch.Tensor | None) -> dict:
        """Logits ``(N, num_classes)`` per modality, from class tokens ``(N, D)``.

        Raises:
            ValueError: If an embedding that has a classifier is None.
        """
        inputs = dict(video=video, audio=audio)
        logits = {}
        for name, layer in self.classifiers.items():
            if inputs[name] is None:
                raise ValueError(f'UnimodalAuxHead has a {name} classifier but got no {name}')
            logits[name] = layer(inputs[name])
        return logits

    def combine(self, logits: dict[str, torch.Tensor]) -> torch.Tensor:
        """``fuse_weight * sum_m modality_weights[m] * logits[m]``: what joins the fused head."""
        return self.fuse_weight * sum(self.modality_weights[m] * x for m, x in logits.items())

    def loss(
        self, video: torch.Tensor | None, audio: torch.Tensor | None, labels: torch.Tensor
    ) -> dict[str, torch.Tensor]:
        """``loss_aux_<modality>`` (weighted cross-entropy) and ``aux_<modality>_top1``.

        Args:
            video (Tensor | None): ``(N, Dv)`` class tokens.
            audio (Tensor | None): ``(N, Da)`` class tokens.
            labels (Tensor): ``(N,)`` class indices.
        """
        out: dict[str, torch.Tensor] = {}
        for name, logits in self(video, audio).items():
            if logits.shape[0] != labels.shape[0]:
                raise ValueError(
                    f'UnimodalAuxHead: {logits.shape[0]} {name} embeddings for '
                    f'{labels.shape[0]} labels'
                )
            out[f'loss_aux_{name}'] = self.loss_weight * F.cross_entropy(logits.float(), labels)
            out[f'aux_{name}_top1'] = (logits.argmax(-1) == labels).float().mean().detach()
        return out
