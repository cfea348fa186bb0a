"""FLOPs of one semi-supervised training iteration, counted as ``docs/method.md`` section 6 says.

One iteration = the forward passes for 1 labeled + 1 unlabeled clip: the student on the
labeled, the strong and the mixed clip, the teacher on the weak clip and, for a map-guided mix
(``ASLGuidedMix``), the frozen localizer on the strong clip's frames. Multiply-accumulates are
counted as FLOPs (the convention of fvcore and mmengine: 1 MAC = 1 FLOP).

The counter is :class:`torch.utils.flop_counter.FlopCounterMode` over ``model.loss(...)``
under ``torch.no_grad()``. It counts ``2 * MACs`` of the matrix products and convolutions
(``mm``, ``addmm``, ``bmm``, ``baddbmm``, convolutions and the fused attention kernels); the
numbers here are divided by 2. Its registry lacks the CPU kernel of
``scaled_dot_product_attention`` (``_scaled_dot_product_flash_attention_for_cpu``), which
:data:`EXTRA_FLOP_FORMULAS` adds, so CPU and meta counts agree. Not counted, here as in
fvcore: softmax, GELU, element-wise additions and products, pooling, the FFT of the localizer's
spectrogram, the mixer's sampling, the losses. fvcore / mmengine additionally count
normalisation layers (about 5 FLOPs per element), bilinear upsampling and adaptive average
pooling; for the ViT-B networks that is about 0.1 % of the total and is left out here.

The model is built on the ``meta`` device by default: shapes only, no memory, no arithmetic, so
a ViT-B iteration is counted in about a second. Its weights are never initialised or loaded
(``init_weights`` is not called; the counts do not depend on the values). The pieces that need
real values run on the CPU: the threshold module (its state is rebuilt there) and the mixer
(fed zero-valued placeholders for meta inputs such as the localization maps).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

import torch
import torch.nn.functional as F
from mmaction.structures import ActionDataSample
from mmengine.structures import LabelData
from torch import nn
from torch.utils._pytree import tree_map
from torch.utils.flop_counter import FlopCounterMode, sdpa_flop_count

from avssl.registry import MODELS

#: Parts of an iteration, in the order of the table; ``other`` holds whatever runs before the
#: first of them (nothing with a counted FLOP in ``AVSemiRecognizer.loss``).
PARTS: tuple[str, ...] = (
    'student_labeled',
    'student_strong',
    'student_mixed',
    'teacher_weak',
    'localizer',
    'contrastive',
    'other',
)
#: Seconds of raw audio the localizer gets per clip (``LoadLocalizerAudio``'s default).
LOCALIZER_AUDIO_SECONDS = 3.0


def _sdpa_cpu_flop(
    query_shape: tuple[int, ...],
    key_shape: tuple[int, ...],
    value_shape: tuple[int, ...],
    *args: Any,
    out_shape: Any = None,
    **kwargs: Any,
) -> int:
    """FLOPs (2 per MAC) of ``_scaled_dot_product_flash_attention_for_cpu``: its two matmuls."""
    return sdpa_flop_count(query_shape, key_shape, value_shape)


#: Formulas added to FlopCounterMode's registry (keys: aten overload packets).
EXTRA_FLOP_FORMULAS: dict[Any, Callable[..., int]] = {
    torch.ops.aten._scaled_dot_product_flash_attention_for_cpu: _sdpa_cpu_flop,
}


def flop_counter() -> FlopCounterMode:
    """A silent ``FlopCounterMode`` with :data:`EXTRA_FLOP_FORMULAS`.

    Returns:
        FlopCounterMode: Counts ``2 * MACs``; read it with :func:`counted_macs`.
    """
    return FlopCounterMode(display=False, custom_mapping=dict(EXTRA_FLOP_FORMULAS))


def counted_macs(counter: FlopCounterMode) -> int:
    """Multiply-accumulates counted so far (FlopCounterMode's total divided by 2).

    Args:
        counter (FlopCounterMode): A counter made by :func:`flop_counter`.

    Returns:
        int: MACs (= FLOPs in the fvcore / mmengine convention).
    """
    return counter.get_total_flops() // 2


@contextmanager
def _no_mha_fastpath() -> Iterator[None]:
    """Turn off PyTorch's fused transformer fast path (its kernels are not in the registry)."""
    mha = getattr(torch.backends, 'mha', None)
    if mha is None or not hasattr(mha, 'set_fastpath_enabled'):
        yield
        return
    before = mha.get_fastpath_enabled()
    mha.set_fastpath_enabled(False)
    try:
        yield
    finally:
        mha.set_fastpath_enabled(before)


def count_macs(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> int:
    """MACs of one call ``fn(*args, **kwargs)`` under ``torch.no_grad()``.

    Args:
        fn (Callable): A module or function.
        *args: Its positional arguments.
        **kwargs: Its keyword arguments.

    Returns:
        int: Multiply-accumulates of the counted ops (see the module doc).
    """
    with torch.no_grad(), _no_mha_fastpath(), flop_counter() as counter:
        fn(*args, **kwargs)
    return counted_macs(counter)


# ------------------------------------------------------------------------------ model
def trainable_params(model: nn.Module) -> int:
    """Number of parameters with ``requires_grad`` (the student and any loss projections).

    Args:
        model (nn.Module): The model.

    Returns:
        int: Trainable parameters (the teacher and the frozen localizer do not count).
    """
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def _threshold_cfg(model_cfg: Mapping[str, Any], num_classes: int) -> dict:
    """The threshold module's config as ``AVSemiRecognizer`` completes it."""
    cfg = dict(copy.deepcopy(model_cfg.get('threshold_cfg') or dict(type='FlexMatchThreshold')))
    if cfg.get('num_classes') is None:
        cfg['num_classes'] = num_classes
    return cfg


def build_model(model_cfg: Mapping[str, Any], device: str = 'meta') -> nn.Module:
    """Build an ``AVSemiRecognizer`` for counting, without initialising or loading weights.

    On ``meta`` every tensor of the model is a shape without storage, except the threshold
    module, rebuilt on the CPU (its per-sample state is read with data-dependent ops). On
    ``cpu`` the model gets PyTorch's random construction-time initialisation.

    Args:
        model_cfg (Mapping): ``cfg.model``.
        device (str): ``'meta'`` or ``'cpu'``. Defaults to ``'meta'``.

    Returns:
        nn.Module: The model in training mode (the teacher and the localizer stay in eval).

    Raises:
        ValueError: If ``device`` is neither, or the model is not an ``AVSemiRecognizer``.
    """
    if device not in ('meta', 'cpu'):
        raise ValueError(f"device must be 'meta' or 'cpu', got {device!r}")
    cfg = copy.deepcopy(dict(model_cfg))
    with torch.device(device):
        model = MODELS.build(cfg)
    if not all(hasattr(model, name) for name in ('student', 'teacher', 'threshold', 'mixer')):
        raise ValueError(
            f'get_flops counts a semi-supervised training iteration: model.type must be '
            f'AVSemiRecognizer, got {type(model).__name__}'
        )
    if device == 'meta':
        model.to('meta')  # buffers created on the CPU on purpose (the localizer's window)
        model.threshold = MODELS.build(_threshold_cfg(cfg, model.num_classes))
    return model.train()


def _placeholder(value: Any) -> Any:
    """A CPU zero tensor for a meta tensor; anything else unchanged."""
    if isinstance(value, torch.Tensor) and value.is_meta:
        return torch.zeros(value.shape, dtype=value.dtype)
    return value


def _on_host(fn: Callable[..., Any], out_device: torch.device | None) -> Callable[..., Any]:
    """Wrap ``fn`` so that it gets CPU placeholders for meta tensors (values are irrelevant for
    counting) and its tensor results are moved to ``out_device`` (None: left where they are)."""

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        result = fn(*tree_map(_placeholder, args), **tree_map(_placeholder, kwargs))
        if out_device is None:
            return result
        return tree_map(
            lambda v: v.to(out_device) if isinstance(v, torch.Tensor) else v,
            result,
        )

    return wrapped


@contextmanager
def _patched(obj: Any, name: str, new: Callable[..., Any]) -> Iterator[None]:
    """Set an instance attribute for the duration of the block, then remove it again."""
    had = name in vars(obj)
    old = vars(obj).get(name)
    setattr(obj, name, new)
    try:
        yield
    finally:
        if had:
            setattr(obj, name, old)
        else:
            delattr(obj, name)


# ------------------------------------------------------------------------------ batch
def synthetic_batch(
    model: nn.Module, num_labeled: int = 1, num_unlabeled: int = 1, device: str = 'meta'
) -> tuple[dict[str, dict[str, torch.Tensor]], dict[str, list[ActionDataSample]]]:
    """Preprocessed branch inputs shaped from the model, as ``MultiBranchDataPreprocessor``
    gives them to ``AVSemiRecognizer.loss``.

    Shapes: ``imgs`` ``(B, 1, C, T, H, W)`` from the video backbone (``in_channels``,
    ``num_frames``, ``img_size``); ``audio`` ``(B, 1, 1, input_tdim, input_fdim)`` from the
    audio backbone; with a localizer, the strong branch also gets ``asl_audio``
    ``(B, 1, 3 s x sample rate)``. Values are random normal (zeros on ``meta``). Labeled data
    samples carry one-hot ``gt_labels`` (a soft label of the head's width, so the head computes
    no top-k accuracy, which would copy its scores to the host); unlabeled ones carry
    ``unlabeled_index`` (0, 1, ...) and no label.

    Args:
        model (nn.Module): An ``AVSemiRecognizer``.
        num_labeled (int): Labeled clips. Defaults to 1.
        num_unlabeled (int): Unlabeled clips (weak and strong views). Defaults to 1.
        device (str): Device of the tensors. Defaults to ``'meta'``.

    Returns:
        tuple[dict, dict]: ``inputs`` and ``data_samples`` keyed by ``labeled``, ``weak``,
        ``strong``.
    """
    network = model.student
    video, audio = network.backbone, network.audio_backbone

    def make(shape: tuple[int, ...]) -> torch.Tensor:
        return torch.randn(shape, device=device)

    def clips(count: int, strong: bool = False) -> dict[str, torch.Tensor]:
        out = {}
        if video is not None:
            height, width = _pair(video.patch_embed.img_size)
            channels = getattr(video, 'in_channels', 3)
            out['imgs'] = make((count, 1, channels, video.num_frames, height, width))
        if audio is not None:
            out['audio'] = make((count, 1, 1, audio.input_tdim, audio.input_fdim))
        if strong and model.localizer is not None:
            rate = model.localizer.spectrogram.sample_rate
            samples = int(round(LOCALIZER_AUDIO_SECONDS * rate))
            out['asl_audio'] = make((count, 1, samples))
        return out

    def labeled(count: int) -> list[ActionDataSample]:
        out = []
        for i in range(count):
            sample = ActionDataSample()
            label = torch.tensor(i % model.num_classes)
            sample.gt_labels = LabelData(item=F.one_hot(label, model.num_classes).float())
            out.append(sample)
        return out

    def unlabeled(count: int) -> list[ActionDataSample]:
        out = []
        for i in range(count):
            sample = ActionDataSample()
            sample.set_metainfo(dict(unlabeled_index=i))
            out.append(sample)
        return out

    inputs = {
        'labeled': clips(num_labeled),
        'weak': clips(num_unlabeled),
        'strong': clips(num_unlabeled, strong=True),
    }
    samples = {
        'labeled': labeled(num_labeled),
        'weak': unlabeled(num_unlabeled),
        'strong': unlabeled(num_unlabeled),
    }
    return inputs, samples


def _pair(size: int | tuple[int, int] | list[int]) -> tuple[int, int]:
    if isinstance(size, int):
        return size, size
    return int(size[0]), int(size[1])


# ------------------------------------------------------------------------------ counting
@dataclass
class IterationFlops:
    """Counted multiply-accumulates of one training iteration.

    Attributes:
        total (int): MACs of the whole ``model.loss`` call.
        parts (dict[str, int]): MACs per part of :data:`PARTS` (they sum to ``total``).
        trainable_params (int): Trainable parameters of the model.
        shapes (dict[str, dict[str, tuple[int, ...]]]): Input shapes per branch.
        device (str): Where it was counted.
    """

    total: int
    parts: dict[str, int]
    trainable_params: int
    shapes: dict[str, dict[str, tuple[int, ...]]] = field(default_factory=dict)
    device: str = 'meta'

    @property
    def gflops(self) -> float:
        """float: ``total`` in GFLOPs (1 MAC = 1 FLOP)."""
        return self.total / 1e9

    @property
    def params_m(self) -> float:
        """float: Trainable parameters in millions."""
        return self.trainable_params / 1e6


class _PartTracker:
    """Attributes counted MACs to the part that is running.

    A part starts when one of the marked calls begins and lasts until the next one begins
    (the student's neck and head after ``embed`` / ``mixed_features`` belong to its part).
    """

    def __init__(self, counter: FlopCounterMode) -> None:
        self.counter = counter
        self.parts = dict.fromkeys(PARTS, 0)
        self.current = 'other'
        self.mark = 0

    def switch(self, part: str) -> None:
        now = counted_macs(self.counter)
        self.parts[self.current] += now - self.mark
        self.mark = now
        self.current = part

    def marked(self, fn: Callable[..., Any], part: str | Callable[..., str]) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            self.switch(part(*args, **kwargs) if callable(part) else part)
            return fn(*args, **kwargs)

        return wrapped


def count_iteration(
    model: nn.Module,
    inputs: dict[str, dict[str, torch.Tensor]],
    data_samples: dict[str, list[ActionDataSample]],
) -> IterationFlops:
    """Count ``model.loss(inputs, data_samples)`` under ``torch.no_grad()``, part by part.

    Args:
        model (nn.Module): An ``AVSemiRecognizer`` (from :func:`build_model`).
        inputs (dict): Branch inputs (from :func:`synthetic_batch`).
        data_samples (dict): Branch data samples.

    Returns:
        IterationFlops: Total, parts, trainable parameters, input shapes.
    """
    device = next(iter(next(iter(inputs.values())).values())).device
    if model.threshold.needs_num_samples and model.threshold.num_samples is None:
        indices = [s.metainfo['unlabeled_index'] for s in data_samples.get('weak', [])]
        model.threshold.setup(max(indices, default=0) + 1)
    counter = flop_counter()
    tracker = _PartTracker(counter)
    labeled = inputs.get('labeled')
    host_out = device if device.type == 'meta' else None
    with ExitStack() as stack:
        student = model.student
        stack.enter_context(
            _patched(
                student,
                'embed',
                tracker.marked(
                    student.embed,
                    lambda x, *a, **k: 'student_labeled' if x is labeled else 'student_strong',
                ),
            )
        )
        stack.enter_context(
            _patched(
                student,
                'mixed_features',
                tracker.marked(student.mixed_features, 'student_mixed'),
            )
        )
        stack.enter_context(
            _patched(
                model.teacher, 'forward', tracker.marked(model.teacher.forward, 'teacher_weak')
            )
        )
        stack.enter_context(
            _patched(
                model, 'localization_maps', tracker.marked(model.localization_maps, 'localizer')
            )
        )
        if model.contrast is not None:
            stack.enter_context(
                _patched(
                    model.contrast, 'forward', tracker.marked(model.contrast.forward, 'contrastive')
                )
            )
        # Host-side pieces: their results do not change what the networks compute.
        stack.enter_context(
            _patched(model.threshold, 'mask', _on_host(model.threshold.mask, host_out))
        )
        if model.mixer is not None:
            stack.enter_context(
                _patched(model.mixer, 'forward', _on_host(model.mixer.forward, None))
            )
        stack.enter_context(torch.no_grad())
        stack.enter_context(_no_mha_fastpath())
        stack.enter_context(counter)
        model.loss(inputs, data_samples)
        tracker.switch('other')
    total = counted_macs(counter)
    shapes = {
        branch: {k: tuple(v.shape) for k, v in clips.items()} for branch, clips in inputs.items()
    }
    return IterationFlops(
        total=total,
        parts=tracker.parts,
        trainable_params=trainable_params(model),
        shapes=shapes,
        device=device.type,
    )


def count_config_flops(
    model_cfg: Mapping[str, Any],
    device: str = 'meta',
    num_labeled: int = 1,
    num_unlabeled: int = 1,
    seed: int = 0,
) -> IterationFlops:
    """Build the model of a config and count one training iteration.

    Args:
        model_cfg (Mapping): ``cfg.model`` (an ``AVSemiRecognizer``).
        device (str): ``'meta'`` (default) or ``'cpu'``.
        num_labeled (int): Labeled clips. Defaults to 1 (``docs/method.md`` section 6).
        num_unlabeled (int): Unlabeled clips. Defaults to 1.
        seed (int): Seed of the random weights and inputs (on the CPU). Defaults to 0.

    Returns:
        IterationFlops: The counts.
    """
    torch.manual_seed(seed)
    model = build_model(model_cfg, device)
    inputs, samples = synthetic_batch(model, num_labeled, num_unlabeled, device)
    return count_iteration(model, inputs, samples)


def format_report(result: IterationFlops, config: str = '') -> str:
    """A table of the parts and the summary line (always the last line).

    Args:
        result (IterationFlops): The counts.
        config (str): Config path for the header. Defaults to ``''``.

    Returns:
        str: Lines ending with ``trainable_params_M=<float> gflops_per_iter=<float>``.
    """
    lines = []
    if config:
        lines.append(f'config: {config}')
    lines.append(
        f'device: {result.device} (random weights: init_weights is not called, so no '
        'pretrained or localizer checkpoint is read; counts do not depend on the values)'
    )
    for branch, shapes in result.shapes.items():
        text = ', '.join(f'{k} {tuple(v)}' for k, v in shapes.items())
        lines.append(f'input {branch}: {text}')
    lines.append(
        'counted: matmul / linear / bmm / baddbmm / conv / attention, 1 MAC = 1 FLOP; '
        'not counted: norms, softmax, activations, element-wise ops, pooling, FFT'
    )
    width = max(len(p) for p in PARTS)
    rule = '-' * (width + 39)
    lines.append(f'{"part":<{width}}  {"MACs":>16}  {"GFLOPs":>10}  {"share":>7}')
    lines.append(rule)
    for part in PARTS:
        macs = result.parts.get(part, 0)
        share = macs / result.total if result.total else math.nan
        lines.append(f'{part:<{width}}  {macs:>16,d}  {macs / 1e9:>10.3f}  {100 * share:>6.2f}%')
    lines.append(rule)
    lines.append(
        f'{"total":<{width}}  {result.total:>16,d}  {result.gflops:>10.3f}  {100.0:>6.2f}%'
    )
    lines.append(f'trainable_params_M={result.params_m:.2f} gflops_per_iter={result.gflops:.3f}')
    return '\n'.join(lines)
