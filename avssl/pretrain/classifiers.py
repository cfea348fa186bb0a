"""The classifiers behind the pretrained tiny encoders, in the layouts of the real files.

Each classifier's ``state_dict()`` is already the layout of the file it stands in for:

* :class:`ImageViTClassifier` is a timm ``VisionTransformer`` (``patch_embed.proj``,
  ``cls_token``, ``pos_embed``, ``blocks.{i}``, ``norm``, ``head``), as an ImageNet ViT file;
  ``MixableTimeSformer`` converts it to divided space-time attention when it loads it.
* :class:`AudioViTClassifier` is avssl's ``AudioTransformer`` (timm key names, 1-channel patch
  embedding, the audio position grid) plus ``head``, the layout of an AudioSet ViT (AST-style);
  ``AudioTransformer`` loads it through the same image-ViT converter.
* :class:`ResNetClassifier` is a torchvision ResNet-18 (``conv1``, ``bn1``, ``layer1-4``,
  ``fc``) at FNAC's SynthAV width; ``FNAC(visual_pretrained=...)`` loads it.
* :class:`ClipTimeSformerClassifier` is avssl's tiny TimeSformer plus a head, exported in the
  keys of an mmaction2 TimeSformer recognizer (``backbone.*``, ``cls_head.fc_cls.*``), the
  layout of a Kinetics checkpoint; ``MixableTimeSformer`` loads it without conversion.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from timm.models.vision_transformer import VisionTransformer
from torch import Tensor, nn

from avssl.models.backbones.audio_transformer import AudioTransformer
from avssl.models.backbones.mixable_timesformer import MixableTimeSformer
from avssl.models.localizers.resnet_trunk import ResNet18Trunk, scaled_widths
from avssl.utils import register_all_modules


class ImageViTClassifier(VisionTransformer):
    """A timm image ViT classifier on uint8-range frames normalised in :meth:`forward`.

    Args:
        num_classes (int): Classes of the pretraining task.
        img_size (int): Frame side. Defaults to 112.
        patch_size (int): Patch side. Defaults to 16.
        embed_dim (int): Token width. Defaults to 96.
        depth (int): Blocks. Defaults to 2.
        num_heads (int): Attention heads. Defaults to 3.
        mean (float): Pixel mean of the video configs (0.45 x 255). Defaults to 114.75.
        std (float): Pixel std of the video configs (0.225 x 255). Defaults to 57.375.
    """

    def __init__(
        self,
        num_classes: int,
        img_size: int = 112,
        patch_size: int = 16,
        embed_dim: int = 96,
        depth: int = 2,
        num_heads: int = 3,
        mean: float = 114.75,
        std: float = 57.375,
    ) -> None:
        super().__init__(
            img_size=img_size,
            patch_size=patch_size,
            embed_dim=embed_dim,
            depth=depth,
            num_heads=num_heads,
            num_classes=num_classes,
            qkv_bias=True,
        )
        self.pixel_mean = mean
        self.pixel_std = std

    def forward(self, x: Tensor) -> Tensor:  # type: ignore[override]
        """Logits of frames ``(B, 3, H, W)`` in [0, 255]."""
        return super().forward((x - self.pixel_mean) / self.pixel_std)


class AudioViTClassifier(nn.Module):
    """avssl's ``AudioTransformer`` with a linear head on its class token.

    Args:
        num_classes (int): Classes of the pretraining task.
        input_tdim (int): Filterbank frames. Defaults to 256.
        input_fdim (int): Mel bins. Defaults to 128.
        patch_size (int): Patch side. Defaults to 16.
        embed_dims (int): Token width. Defaults to 96.
        depth (int): Blocks. Defaults to 2.
        num_heads (int): Attention heads. Defaults to 3.
    """

    def __init__(
        self,
        num_classes: int,
        input_tdim: int = 256,
        input_fdim: int = 128,
        patch_size: int = 16,
        embed_dims: int = 96,
        depth: int = 2,
        num_heads: int = 3,
    ) -> None:
        super().__init__()
        self.encoder = AudioTransformer(
            input_tdim=input_tdim,
            input_fdim=input_fdim,
            patch_size=patch_size,
            embed_dims=embed_dims,
            depth=depth,
            num_heads=num_heads,
        )
        self.head = nn.Linear(embed_dims, num_classes)

    def forward(self, x: Tensor) -> Tensor:
        """Logits of normalised log-mel windows ``(B, 1, T, F)``."""
        return self.head(self.encoder(x))

    def export_state_dict(self) -> dict[str, Tensor]:
        """The encoder's tensors (timm names) plus ``head.*``, as an audio ViT file holds."""
        state = {k: v.detach().clone() for k, v in self.encoder.state_dict().items()}
        state.update({f'head.{k}': v.detach().clone() for k, v in self.head.state_dict().items()})
        return state


class ResNetClassifier(nn.Module):
    """torchvision-layout ResNet-18 trunk, global average pooling and ``fc``.

    Args:
        num_classes (int): Classes of the pretraining task.
        width_mult (float): Stage-width multiplier (FNAC's SynthAV configs: 0.25).
            Defaults to 0.25.
        last_stride (int): Stride of ``layer4`` (FNAC's SynthAV configs: 1). Defaults to 1.
        mean (Sequence[float]): ImageNet pixel mean x 255 (FNAC's preprocessing).
        std (Sequence[float]): ImageNet pixel std x 255.
    """

    def __init__(
        self,
        num_classes: int,
        width_mult: float = 0.25,
        last_stride: int = 1,
        mean: Sequence[float] = (123.675, 116.28, 103.53),
        std: Sequence[float] = (58.395, 57.12, 57.375),
    ) -> None:
        super().__init__()
        self.trunk = ResNet18Trunk(widths=scaled_widths(width_mult), last_stride=last_stride)
        self.fc = nn.Linear(self.trunk.out_channels, num_classes)
        self.register_buffer('pixel_mean', torch.tensor(mean).view(1, 3, 1, 1), persistent=False)
        self.register_buffer('pixel_std', torch.tensor(std).view(1, 3, 1, 1), persistent=False)

    def forward(self, x: Tensor) -> Tensor:
        """Logits of frames ``(B, 3, H, W)`` in [0, 255]."""
        feats = self.trunk((x - self.pixel_mean) / self.pixel_std)
        return self.fc(feats.mean(dim=(2, 3)))

    def export_state_dict(self) -> dict[str, Tensor]:
        """torchvision ResNet keys: the trunk's (``conv1``, ..., ``layer4``) plus ``fc.*``."""
        state = {k: v.detach().clone() for k, v in self.trunk.state_dict().items()}
        state.update({f'fc.{k}': v.detach().clone() for k, v in self.fc.state_dict().items()})
        return state


class ClipTimeSformerClassifier(nn.Module):
    """avssl's ``MixableTimeSformer`` (the tiny video backbone) with a linear head: a clip model.

    It stands in for a video-pretrained TimeSformer (Kinetics-400 weights in mmaction2's
    layout), which itself starts from an ImageNet ViT: :meth:`init_from` loads an image-ViT file
    through the backbone's own converter (temporal attention copied from the spatial one,
    ``temporal_fc`` and ``time_embed`` at zero) before the clips train it, so time is learned
    here and not at the start.

    Args:
        num_classes (int): Classes of the pretraining task.
        num_frames (int): Frames per clip. Defaults to 8.
        img_size (int): Frame side. Defaults to 112.
        patch_size (int): Patch side. Defaults to 16.
        embed_dims (int): Token width. Defaults to 96.
        depth (int): Transformer layers. Defaults to 2.
        num_heads (int): Attention heads. Defaults to 3.
        mean (float): Pixel mean of the video configs (0.45 x 255). Defaults to 114.75.
        std (float): Pixel std of the video configs (0.225 x 255). Defaults to 57.375.
    """

    def __init__(
        self,
        num_classes: int,
        num_frames: int = 8,
        img_size: int = 112,
        patch_size: int = 16,
        embed_dims: int = 96,
        depth: int = 2,
        num_heads: int = 3,
        mean: float = 114.75,
        std: float = 57.375,
    ) -> None:
        super().__init__()
        register_all_modules(init_scope=True)  # the layers are built from mmaction's registry
        self.backbone = MixableTimeSformer(
            num_frames=num_frames,
            img_size=img_size,
            patch_size=patch_size,
            embed_dims=embed_dims,
            num_heads=num_heads,
            num_transformer_layers=depth,
            attention_type='divided_space_time',
        )
        self.backbone.init_weights()
        self.head = nn.Linear(embed_dims, num_classes)
        self.pixel_mean = mean
        self.pixel_std = std

    def init_from(self, path: str) -> None:
        """Load an image-ViT (or converted TimeSformer) file into the backbone, as configs do.

        Args:
            path (str): The file.
        """
        self.backbone.load_pretrained(path)

    def forward(self, x: Tensor) -> Tensor:
        """Logits of clips ``(B, 3, T, H, W)`` in [0, 255]."""
        return self.head(self.backbone((x - self.pixel_mean) / self.pixel_std))

    def export_state_dict(self) -> dict[str, Tensor]:
        """mmaction2 recognizer keys: ``backbone.*`` (TimeSformer) and ``cls_head.fc_cls.*``.

        The layout of an mmaction2 TimeSformer checkpoint's state dict, which
        ``MixableTimeSformer(pretrained=...)`` reads (it strips ``backbone.`` and ignores the
        head).
        """
        state = {f'backbone.{k}': v.detach().clone() for k, v in self.backbone.state_dict().items()}
        state.update(
            {f'cls_head.fc_cls.{k}': v.detach().clone() for k, v in self.head.state_dict().items()}
        )
        return state
