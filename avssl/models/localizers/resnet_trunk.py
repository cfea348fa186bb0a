"""ResNet-18 up to its last stage, with torchvision's parameter names and configurable sizes."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn
from torchvision.models.resnet import BasicBlock, conv1x1

#: Stage widths of torchvision's ResNet-18.
RESNET18_WIDTHS: tuple[int, int, int, int] = (64, 128, 256, 512)


def scaled_widths(width_mult: float, base: Sequence[int] = RESNET18_WIDTHS) -> tuple[int, ...]:
    """Stage widths of a ResNet-18 scaled by ``width_mult`` (at least 4 channels each).

    Args:
        width_mult (float): Factor, e.g. 0.25 gives ``(16, 32, 64, 128)``.
        base (Sequence[int]): Widths to scale. Defaults to :data:`RESNET18_WIDTHS`.

    Returns:
        tuple[int, ...]: The scaled widths.
    """
    if width_mult <= 0:
        raise ValueError(f'width_mult must be > 0, got {width_mult}')
    return tuple(max(4, int(round(w * width_mult))) for w in base)


class ResNet18Trunk(nn.Module):
    """torchvision's ResNet-18 without ``avgpool`` and ``fc``: frames in, a feature map out.

    The submodules (``conv1``, ``bn1``, ``relu``, ``maxpool``, ``layer1`` .. ``layer4``, built
    from torchvision's ``BasicBlock``) and therefore the state-dict keys are exactly those of
    ``torchvision.models.resnet18(weights=None)`` minus ``fc.*``, so an ImageNet ResNet-18 file
    loads into it at the default sizes. Unlike torchvision it lets a config choose

    - ``in_channels`` (1 for a spectrogram),
    - the stage ``widths`` (tiny CPU models), and
    - the stride of ``layer4`` (1 keeps a 7x7 grid for 112x112 frames; no dilation).

    Initialisation follows torchvision (Kaiming-normal ``fan_out`` convolutions, batch norms at
    weight 1 and bias 0).

    Args:
        in_channels (int): Input channels. Defaults to 3.
        widths (Sequence[int]): Widths of ``layer1`` .. ``layer4`` (the stem has
            ``widths[0]``). Defaults to ``(64, 128, 256, 512)``.
        last_stride (int): Stride of ``layer4``: 2 as in torchvision (total stride 32) or 1
            (total stride 16). Defaults to 2.
    """

    def __init__(
        self,
        in_channels: int = 3,
        widths: Sequence[int] = RESNET18_WIDTHS,
        last_stride: int = 2,
    ) -> None:
        super().__init__()
        widths = tuple(int(w) for w in widths)
        if len(widths) != 4 or min(widths) <= 0:
            raise ValueError(f'widths must be 4 positive stage widths, got {widths}')
        if last_stride not in (1, 2):
            raise ValueError(f'last_stride must be 1 or 2, got {last_stride}')
        self.in_channels = in_channels
        self.widths = widths
        self.last_stride = last_stride
        self.out_channels = widths[-1]
        self.conv1 = nn.Conv2d(in_channels, widths[0], 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        strides = (1, 2, 2, last_stride)
        inplanes = widths[0]
        for i, (planes, stride) in enumerate(zip(widths, strides, strict=True)):
            self.add_module(f'layer{i + 1}', self._stage(inplanes, planes, stride))
            inplanes = planes
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    @staticmethod
    def _stage(inplanes: int, planes: int, stride: int) -> nn.Sequential:
        """Two ``BasicBlock`` s, the first with a projection shortcut when the shape changes."""
        downsample = None
        if stride != 1 or inplanes != planes:
            downsample = nn.Sequential(conv1x1(inplanes, planes, stride), nn.BatchNorm2d(planes))
        return nn.Sequential(
            BasicBlock(inplanes, planes, stride, downsample), BasicBlock(planes, planes)
        )

    def output_size(self, height: int, width: int) -> tuple[int, int]:
        """Spatial size of the feature map for an input of ``height`` x ``width``.

        Args:
            height (int): Input height.
            width (int): Input width.

        Returns:
            tuple[int, int]: ``(h, w)`` of :meth:`forward`'s output.
        """

        def down(n: int, k: int, s: int, p: int) -> int:
            return (n + 2 * p - k) // s + 1

        sizes = []
        for n in (height, width):
            n = down(down(n, 7, 2, 3), 3, 2, 1)  # conv1, maxpool
            for stride in (2, 2, self.last_stride):  # layer2 .. layer4 (3x3 conv, padding 1)
                n = down(n, 3, stride, 1)
            sizes.append(n)
        return sizes[0], sizes[1]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Feature map of ``layer4``.

        Args:
            x (Tensor): ``(B, in_channels, H, W)``.

        Returns:
            Tensor: ``(B, widths[-1], h, w)``; ``h = ceil(H / 32)`` with ``last_stride=2``,
            ``ceil(H / 16)`` with 1 (e.g. 7x7 for 224 and 2, or 112 and 1).
        """
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer1(x)
        x = self.layer2(x)
        x = self.layer3(x)
        return self.layer4(x)
