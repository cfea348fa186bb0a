"""FNAC: an audio source localizer trained with false-negative-aware contrastive learning.

Sun et al., "Learning Audio-Visual Source Localization via False Negative Aware Contrastive
Learning", CVPR 2023, built on EZ-VSL (Mo and Morgado, 2022). ``docs/method.md`` section 5 is
the specification; ``docs/fnac.md`` lists the sizes used here against the paper's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from typing import Any

import torch
import torch.nn.functional as F
from mmengine.logging import MessageHub
from mmengine.model import BaseModel
from torch import nn

from avssl.registry import MODELS

from .audio_spectrogram import LogSpectrogram, random_spec_masks
from .fnac_losses import FG_POOLS, INFONCE_REDUCTIONS, fnac_loss_terms
from .map_smoothing import smooth_maps
from .resnet_trunk import ResNet18Trunk, scaled_widths

#: ImageNet mean / std in 0..255 pixel units: FNAC's frame normalisation.
IMAGENET_MEAN: tuple[float, float, float] = (123.675, 116.28, 103.53)
IMAGENET_STD: tuple[float, float, float] = (58.395, 57.12, 57.375)
#: The three false-negative-aware terms, in the order of the paper.
FNAC_TERMS: tuple[str, ...] = ('fn_audio', 'tn', 'fn_image')
#: Input keys: the frames and the localizer's raw waveform.
FRAMES_KEY = 'imgs'
AUDIO_KEY = 'asl_audio'


def default_data_preprocessor() -> dict:
    """The preprocessor FNAC needs: one frame per item, ImageNet mean/std (not 0.45/0.225).

    Returns:
        dict: An ``AVDataPreprocessor`` config with ``format_shape='NCHW'``.
    """
    return dict(
        type='AVDataPreprocessor',
        mean=list(IMAGENET_MEAN),
        std=list(IMAGENET_STD),
        format_shape='NCHW',
    )


@MODELS.register_module()
class FNAC(BaseModel):
    """FNAC: ResNet-18 visual and audio streams, max-pooled InfoNCE plus three L1 terms.

    Visual stream: ResNet-18 trunk ``(B, 3, H, W) -> (B, Cv, h, w)``, dropout (training only),
    1x1 convolution to ``embed_dim``, L2 normalisation per location. Audio stream: the log
    spectrogram of the raw waveform (:class:`LogSpectrogram`, computed here), a ResNet-18 trunk
    with a one-channel stem, global max pooling, dropout, linear to ``embed_dim``, L2
    normalisation. The map of a clip is ``S_ii(p) = <v_i(p), a_i> / tau``.

    Inputs (from ``PackAVInputs`` and :func:`default_data_preprocessor`): ``imgs``
    ``(B, 1, 3, H, W)`` or ``(B, 3, H, W)``, ImageNet-normalised; ``asl_audio`` ``(B, 1, N)``
    or ``(B, N)``, raw samples.

    Modes of :meth:`forward`: ``'loss'`` returns ``loss_infonce`` and, from iteration
    ``warmup_iters`` on (read from mmengine's ``MessageHub`` ``'iter'``), the weighted terms
    ``loss_fn_audio``, ``loss_tn`` and ``loss_fn_image`` (zero before, so every iteration
    logs the same keys); ``'predict'`` stores each clip's map ``(h, w)`` as ``pred_map`` in
    its data sample; ``'tensor'`` returns the maps ``(B, h, w)``.

    :meth:`freeze` turns the model into a fixed feature extractor for other models: eval mode
    (no dropout, batch-norm statistics fixed) that ``train()`` does not undo, and no gradients.

    Args:
        embed_dim (int): Width of the shared embedding. Defaults to 512.
        tau (float): Temperature. Defaults to 0.03.
        width_mult (float): Scales ResNet-18's stage widths ``(64, 128, 256, 512)`` of both
            streams when ``visual_widths`` / ``audio_widths`` are not given. Defaults to 1.
        visual_widths (Sequence[int] | None): Stage widths of the visual trunk.
            Defaults to None (from ``width_mult``).
        audio_widths (Sequence[int] | None): Stage widths of the audio trunk.
            Defaults to None (from ``width_mult``).
        visual_last_stride (int): Stride of the visual ``layer4``: 2 (paper: 7x7 grid at 224)
            or 1 (7x7 grid at 112). Defaults to 2.
        input_size (Sequence[int] | None): ``(H, W)`` the visual stream expects; frames of
            another size are resized (bilinear) to it. None takes frames as they come.
            Defaults to None.
        visual_dropout (float): Dropout on the visual trunk's features in training.
            Defaults to 0.9.
        audio_dropout (float): Dropout on the pooled audio features in training.
            Defaults to 0.
        spectrogram (dict | None): Keyword arguments of :class:`LogSpectrogram`
            (``sample_rate``, ``n_fft``, ``hop_length``, ...). Defaults to None (FNAC's
            512-point window, hop 238, ``log(S + 1e-7) / 12``).
        spec_mask (dict | None): Training-time masks of :func:`random_spec_masks`
            (``freq_width``, ``time_width``, ``swapped_starts``); None disables them.
            Defaults to FNAC's ``dict(freq_width=10, time_width=10)``.
        fg_threshold (float): Foreground threshold of the true-negative term. Defaults to 0.6.
        fg_pool (str): ``'masked'`` (``docs/method.md`` section 5) or ``'grid'`` (FNAC's code); see
            :func:`~avssl.models.localizers.fnac_losses.foreground_features`.
            Defaults to ``'masked'``.
        infonce_reduction (str): ``'sum'`` of the two InfoNCE directions (FNAC's code) or
            their ``'mean'``. Defaults to ``'sum'``.
        loss_weights (Mapping[str, float] | None): Weights of ``fn_audio``, ``tn`` and
            ``fn_image``. Defaults to 100 each.
        warmup_iters (int): Iterations of InfoNCE alone before the three terms join.
            Defaults to 0.
        mean_pool_iters (int): Iterations at the start whose InfoNCE logits average the
            similarity map over locations instead of taking its maximum (FNAC's). Trained from
            scratch (no ImageNet visual stream), the max-pooled InfoNCE stays at chance for
            hundreds of iterations on SynthAV, while the mean-pooled one learns the clip-level
            correspondence at once; the max then sharpens it into localization
            (``docs/fnac.md``). 0 = FNAC throughout. Defaults to 0.
        map_sigma (float): Standard deviation, in grid cells, of a Gaussian blur of every
            similarity map (:func:`~avssl.models.localizers.map_smoothing.smooth_maps`),
            applied both before the InfoNCE's max over locations in training and to the maps
            :meth:`localization_map` returns, so training and use see the same map. The max
            then scores a neighbourhood rather than one location and its gradient reaches the
            locations around the peak. 0 = FNAC. Defaults to 0.
        visual_pretrained (str | None): Local torchvision ResNet-18 ImageNet file for the
            visual trunk, loaded in :meth:`init_weights`; keys other than ``fc.*`` must match
            exactly. Defaults to None.
        pretrained (str | None): Local file of a whole FNAC (an avssl checkpoint or an
            official FNAC release file, converted on the fly), loaded strictly in
            :meth:`init_weights`; takes precedence over ``visual_pretrained``.
            Defaults to None.
        data_preprocessor (dict | nn.Module | None): Defaults to
            :func:`default_data_preprocessor`.
        init_cfg (dict | list[dict] | None): mmengine initialisation config. Defaults to None.
    """

    def __init__(
        self,
        embed_dim: int = 512,
        tau: float = 0.03,
        width_mult: float = 1.0,
        visual_widths: Sequence[int] | None = None,
        audio_widths: Sequence[int] | None = None,
        visual_last_stride: int = 2,
        input_size: Sequence[int] | None = None,
        visual_dropout: float = 0.9,
        audio_dropout: float = 0.0,
        spectrogram: dict | None = None,
        spec_mask: dict | None = dict(freq_width=10, time_width=10),  # noqa: B006
        fg_threshold: float = 0.6,
        fg_pool: str = 'masked',
        infonce_reduction: str = 'sum',
        loss_weights: Mapping[str, float] | None = None,
        warmup_iters: int = 0,
        mean_pool_iters: int = 0,
        map_sigma: float = 0.0,
        visual_pretrained: str | None = None,
        pretrained: str | None = None,
        data_preprocessor: dict | nn.Module | None = None,
        init_cfg: dict | list[dict] | None = None,
    ) -> None:
        if data_preprocessor is None:
            data_preprocessor = default_data_preprocessor()
        if isinstance(data_preprocessor, Mapping):
            data_preprocessor = MODELS.build(dict(data_preprocessor))
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if tau <= 0:
            raise ValueError(f'tau must be > 0, got {tau}')
        if fg_pool not in FG_POOLS:
            raise ValueError(f'fg_pool must be one of {FG_POOLS}, got {fg_pool!r}')
        if infonce_reduction not in INFONCE_REDUCTIONS:
            raise ValueError(
                f'infonce_reduction must be one of {INFONCE_REDUCTIONS}, got {infonce_reduction!r}'
            )
        weights = {name: 100.0 for name in FNAC_TERMS}
        unknown = set(loss_weights or {}) - set(FNAC_TERMS)
        if unknown:
            raise KeyError(f'loss_weights has unknown terms {sorted(unknown)}; use {FNAC_TERMS}')
        weights.update({k: float(v) for k, v in (loss_weights or {}).items()})
        self.embed_dim = embed_dim
        self.tau = float(tau)
        self.input_size = tuple(input_size) if input_size is not None else None
        self.fg_threshold = fg_threshold
        self.fg_pool = fg_pool
        self.infonce_reduction = infonce_reduction
        self.loss_weights = weights
        self.warmup_iters = int(warmup_iters)
        if mean_pool_iters < 0:
            raise ValueError(f'mean_pool_iters must be >= 0, got {mean_pool_iters}')
        self.mean_pool_iters = int(mean_pool_iters)
        if map_sigma < 0:
            raise ValueError(f'map_sigma must be >= 0, got {map_sigma}')
        self.map_sigma = float(map_sigma)
        self.spec_mask = dict(spec_mask) if spec_mask else None
        self.visual_pretrained = visual_pretrained
        self.pretrained = pretrained
        self._frozen = False

        self.visual_net = ResNet18Trunk(
            3, visual_widths or scaled_widths(width_mult), last_stride=visual_last_stride
        )
        self.visual_dropout = nn.Dropout(visual_dropout)
        self.visual_proj = nn.Conv2d(self.visual_net.out_channels, embed_dim, kernel_size=1)
        self.spectrogram = LogSpectrogram(**(spectrogram or {}))
        self.audio_net = ResNet18Trunk(1, audio_widths or scaled_widths(width_mult))
        self.audio_pool = nn.AdaptiveMaxPool2d(1)
        self.audio_dropout = nn.Dropout(audio_dropout)
        self.audio_proj = nn.Linear(self.audio_net.out_channels, embed_dim)
        self._init_fnac_layers()

    # ------------------------------------------------------------------ initialisation
    def _init_fnac_layers(self) -> None:
        """FNAC's initialisation of everything but the visual trunk.

        Convolutions Kaiming-normal (``fan_out``), batch norms weight ~ N(1, 0.02) and bias 0,
        linear weights truncated normal (std 0.01); biases keep PyTorch's default.
        """
        for net in (self.audio_net, self.visual_proj, self.audio_proj):
            for m in net.modules():
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')
                elif isinstance(m, nn.Linear):
                    nn.init.trunc_normal_(m.weight, mean=0.0, std=0.01)
                elif isinstance(m, nn.BatchNorm2d):
                    nn.init.normal_(m.weight, mean=1.0, std=0.02)
                    nn.init.zeros_(m.bias)

    def init_weights(self) -> None:
        """Load ``pretrained`` (whole model) or ``visual_pretrained`` (visual trunk), then
        apply ``init_cfg``. Both files are read strictly: mismatching keys are an error."""
        if not self._is_init:
            from .fnac_checkpoint import load_fnac_weights, load_resnet_imagenet_weights

            if self.pretrained:
                load_fnac_weights(self, self.pretrained)
            elif self.visual_pretrained:
                load_resnet_imagenet_weights(self.visual_net, self.visual_pretrained)
        super().init_weights()

    # ------------------------------------------------------------------ frozen mode
    @property
    def frozen(self) -> bool:
        """Whether :meth:`freeze` was called."""
        return self._frozen

    def freeze(self) -> FNAC:
        """Fix the model for use inside another one.

        Sets eval mode (no dropout, batch norms use their running statistics), turns off
        ``requires_grad`` of every parameter and makes later ``train()`` calls (for example
        from an enclosing model) keep eval mode. :meth:`localization_map` then runs without
        autograd.

        Returns:
            FNAC: ``self``.
        """
        self._frozen = True
        for param in self.parameters():
            param.requires_grad_(False)
        super().train(False)
        return self

    def train(self, mode: bool = True) -> FNAC:
        """``nn.Module.train``, except that a frozen model stays in eval mode."""
        super().train(mode and not self._frozen)
        return self

    # ------------------------------------------------------------------ encoders
    def encode_visual(self, frames: torch.Tensor) -> torch.Tensor:
        """L2-normalised visual features on the grid.

        Args:
            frames (Tensor): ``(B, 3, H, W)``, ImageNet-normalised.

        Returns:
            Tensor: ``(B, embed_dim, h, w)``, unit norm along dim 1.
        """
        if frames.dim() != 4 or frames.shape[1] != 3:
            raise ValueError(f'expected frames (B, 3, H, W), got {tuple(frames.shape)}')
        if self.input_size is not None and tuple(frames.shape[-2:]) != self.input_size:
            frames = F.interpolate(
                frames, size=self.input_size, mode='bilinear', align_corners=False
            )
        feats = self.visual_dropout(self.visual_net(frames))
        return F.normalize(self.visual_proj(feats), dim=1)

    def encode_spectrogram(self, spec: torch.Tensor) -> torch.Tensor:
        """L2-normalised audio embedding of a spectrogram.

        Args:
            spec (Tensor): ``(B, 1, F, T)`` from :attr:`spectrogram`.

        Returns:
            Tensor: ``(B, embed_dim)``, unit norm.
        """
        feats = self.audio_pool(self.audio_net(spec)).flatten(1)
        return F.normalize(self.audio_proj(self.audio_dropout(feats)), dim=1)

    def encode_audio(self, waveform: torch.Tensor) -> torch.Tensor:
        """L2-normalised audio embedding of a raw waveform.

        Args:
            waveform (Tensor): ``(B, N)`` samples at ``spectrogram.sample_rate``.

        Returns:
            Tensor: ``(B, embed_dim)``, unit norm.
        """
        return self.encode_spectrogram(self.spectrogram(waveform))

    def localization_map(
        self, frames: torch.Tensor, audio: torch.Tensor, frames_per_clip: int = 1
    ) -> torch.Tensor:
        """Each frame's localisation map ``S_ii`` (cosine similarity / tau) over the grid.

        Args:
            frames (Tensor): ``(B * k, 3, H, W)``, ImageNet-normalised, clip-major (the ``k``
                frames of clip 0 first).
            audio (Tensor): ``(B, N)`` raw waveform of each clip (3 s at 16 kHz by default).
            frames_per_clip (int): ``k``: frames that share one clip's audio (its embedding is
                computed once). Defaults to 1.

        Returns:
            Tensor: ``(B * k, h, w)`` with values in ``[-1 / tau, 1 / tau]``.
        """
        if audio.dim() != 2 or audio.shape[0] * frames_per_clip != frames.shape[0]:
            raise ValueError(
                f'expected audio (B, N) with B * {frames_per_clip} = {frames.shape[0]} frames, '
                f'got {tuple(audio.shape)}'
            )
        with torch.no_grad() if self._frozen else nullcontext():
            visual = self.encode_visual(frames)
            emb = self.encode_audio(audio)
            if frames_per_clip > 1:
                emb = emb.repeat_interleave(frames_per_clip, dim=0)
            maps = torch.einsum('bchw,bc->bhw', visual, emb) / self.tau
            return smooth_maps(maps, self.map_sigma)

    # ------------------------------------------------------------------ mmengine API
    @staticmethod
    def _unpack(inputs: Mapping[str, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        """Frames ``(B, 3, H, W)`` and waveforms ``(B, N)`` from the preprocessed inputs."""
        if not isinstance(inputs, Mapping) or FRAMES_KEY not in inputs or AUDIO_KEY not in inputs:
            keys = sorted(inputs) if isinstance(inputs, Mapping) else type(inputs).__name__
            raise KeyError(
                f'FNAC needs inputs {FRAMES_KEY!r} and {AUDIO_KEY!r} (PackAVInputs with '
                f"extra_keys=('asl_audio',) after LoadLocalizerAudio), got {keys}"
            )
        frames, audio = inputs[FRAMES_KEY], inputs[AUDIO_KEY]
        if frames.dim() == 5:
            if frames.shape[1] != 1:
                raise ValueError(
                    f'FNAC takes one frame per clip, got {frames.shape[1]} views '
                    f'(imgs {tuple(frames.shape)}); sample with clip_len=1, num_clips=1'
                )
            frames = frames[:, 0]
        if audio.dim() == 3:
            if audio.shape[1] != 1:
                raise ValueError(f'FNAC takes one waveform per clip, got {tuple(audio.shape)}')
            audio = audio[:, 0]
        return frames, audio

    def current_iter(self) -> int:
        """The Runner's iteration (``MessageHub`` info ``'iter'``); 0 outside a Runner."""
        value = MessageHub.get_current_instance().get_info('iter', None)
        return 0 if value is None else int(value)

    def forward(
        self,
        inputs: Mapping[str, torch.Tensor],
        data_samples: list | None = None,
        mode: str = 'tensor',
    ) -> Any:
        """Dispatch on ``mode`` (``'loss'``, ``'predict'`` or ``'tensor'``).

        Args:
            inputs (Mapping[str, Tensor]): ``imgs`` and ``asl_audio`` (see the class).
            data_samples (list | None): The batch's data samples.
            mode (str): What to return. Defaults to ``'tensor'``.

        Returns:
            dict | list | Tensor: Losses, data samples with ``pred_map``, or maps
            ``(B, h, w)``.
        """
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self.localization_map(*self._unpack(inputs))
        raise ValueError(f'invalid mode {mode!r}; use loss, predict or tensor')

    def loss(
        self, inputs: Mapping[str, torch.Tensor], data_samples: list | None = None
    ) -> dict[str, torch.Tensor]:
        """FNAC's objective on a batch.

        Args:
            inputs (Mapping[str, Tensor]): ``imgs`` and ``asl_audio``.
            data_samples (list | None): Unused (self-supervised).

        Returns:
            dict[str, Tensor]: ``loss_infonce``, ``loss_fn_audio``, ``loss_tn`` and
            ``loss_fn_image`` (the last three weighted, and zero during the warm-up).
        """
        frames, audio = self._unpack(inputs)
        if frames.shape[0] < 2:
            raise ValueError('FNAC training needs at least 2 clips per batch (the negatives)')
        visual = self.encode_visual(frames)
        spec = self.spectrogram(audio)
        if self.training and self.spec_mask:
            spec = random_spec_masks(spec, **self.spec_mask)
        emb = self.encode_spectrogram(spec)
        iteration = self.current_iter()
        terms = fnac_loss_terms(
            visual,
            emb,
            self.tau,
            self.fg_threshold,
            self.fg_pool,
            self.infonce_reduction,
            logit_pool='mean' if iteration < self.mean_pool_iters else 'max',
            map_sigma=self.map_sigma,
        )
        losses = {'loss_infonce': terms['infonce']}
        active = iteration >= self.warmup_iters
        for name in FNAC_TERMS:
            if active:
                losses[f'loss_{name}'] = self.loss_weights[name] * terms[name]
            else:
                losses[f'loss_{name}'] = torch.zeros_like(terms[name]).detach()
        return losses

    def predict(self, inputs: Mapping[str, torch.Tensor], data_samples: list) -> list:
        """Put each clip's map (``(h, w)``, on the CPU) into its data sample as ``pred_map``.

        Args:
            inputs (Mapping[str, Tensor]): ``imgs`` and ``asl_audio``.
            data_samples (list): One data sample per clip.

        Returns:
            list: ``data_samples``, each with ``pred_map``.
        """
        frames, audio = self._unpack(inputs)
        with torch.no_grad():
            maps = self.localization_map(frames, audio)
        if data_samples is None or len(data_samples) != maps.shape[0]:
            raise ValueError('FNAC.predict needs one data sample per clip')
        for sample, heat in zip(data_samples, maps, strict=True):
            sample.set_field(heat.detach().float().cpu(), 'pred_map')
        return data_samples
