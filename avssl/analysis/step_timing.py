"""Wall time of one semi-supervised training step per config, measured interleaved.

Each config's ``AVSemiRecognizer`` is built on the CPU with random weights (``init_weights`` is
not called, so no localizer checkpoint is needed) together with its optimizer wrapper
(``cfg.optim_wrapper``: optimizer, parameter-wise settings, gradient clipping). A step is
``model.train_step(batch, optim_wrapper)``: the data preprocessor, ``loss`` (student, teacher,
localizer, mixer), the summed losses' backward and the optimizer step. The EMA-teacher and
threshold hooks, which run after it in training, are left out (the same work for every config).

The configs are timed in turns (A, B, C, A, B, C, ...) within one process, so that changes in
the machine's load fall on all of them alike. The batch is synthetic, shaped from the model
(frames, log-mel windows, the localizer's 3 s of raw audio), labeled : unlabeled as the
config's ``RatioSampler``; it is drawn once per config and reused. The time spent inside the
localizer (``localization_maps``) and the mixer is recorded as well.
"""

from __future__ import annotations

import copy
import logging
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch
from mmaction.structures import ActionDataSample
from mmengine.config import Config
from mmengine.logging import MessageHub, MMLogger
from mmengine.optim import OptimWrapper, build_optim_wrapper
from mmengine.structures import LabelData
from torch import nn

from avssl.registry import MODELS

#: Seconds of raw audio the localizer gets per clip (``LoadLocalizerAudio``'s default).
LOCALIZER_AUDIO_SECONDS = 3.0


def split_batch(cfg: Config, batch_size: int | None = None) -> tuple[int, int]:
    """Labeled and unlabeled clips of a training batch, as the config's ``RatioSampler`` splits.

    Args:
        cfg (Config): The config (``train_dataloader.batch_size`` and its sampler's
            ``source_ratio``; ``[1, 5]`` when absent).
        batch_size (int | None): Overrides the config's batch size. Defaults to None.

    Returns:
        tuple[int, int]: ``(labeled, unlabeled)``, each at least 1.
    """
    loader = cfg.get('train_dataloader', {}) or {}
    size = int(batch_size if batch_size is not None else loader.get('batch_size', 12))
    ratio = (loader.get('sampler', {}) or {}).get('source_ratio', [1, 5])
    labeled = max(1, round(size * ratio[0] / sum(ratio)))
    unlabeled = max(1, size - labeled)
    return labeled, unlabeled


def raw_semi_batch(
    model: nn.Module, num_labeled: int, num_unlabeled: int, seed: int = 0
) -> dict[str, list[Any]]:
    """A collated multi-branch batch as ``multi_branch_collate`` gives it to the preprocessor.

    Per item: ``imgs`` uint8 ``(1, C, T, H, W)``, ``audio`` ``(1, 1, Ta, F)`` normal, the strong
    view also ``asl_audio`` ``(1, 3 s x rate)``; labels ``i % num_classes``; unlabeled items
    carry ``unlabeled_index``.

    Args:
        model (nn.Module): An ``AVSemiRecognizer`` (shapes come from its networks).
        num_labeled (int): Labeled items.
        num_unlabeled (int): Unlabeled items (a weak and a strong view each).
        seed (int): Seed of the random values. Defaults to 0.

    Returns:
        dict[str, list]: ``{'inputs': [...], 'data_samples': [...]}``, one branch dict per item.
    """
    gen = torch.Generator().manual_seed(seed)
    video, audio = model.student.backbone, model.student.audio_backbone

    def view(strong: bool) -> dict[str, torch.Tensor]:
        out = {}
        if video is not None:
            size = video.patch_embed.img_size
            height, width = (size, size) if isinstance(size, int) else tuple(size)
            shape = (1, getattr(video, 'in_channels', 3), video.num_frames, height, width)
            out['imgs'] = torch.randint(0, 256, shape, generator=gen, dtype=torch.uint8)
        if audio is not None:
            shape = (1, 1, audio.input_tdim, audio.input_fdim)
            out['audio'] = torch.randn(shape, generator=gen)
        if strong and getattr(model, 'localizer', None) is not None:
            rate = model.localizer.spectrogram.sample_rate
            samples = int(round(LOCALIZER_AUDIO_SECONDS * rate))
            out['asl_audio'] = 0.1 * torch.randn((1, samples), generator=gen)
        return out

    def sample(label: int, index: int | None = None) -> ActionDataSample:
        item = ActionDataSample()
        item.gt_labels = LabelData(item=torch.tensor([label]))
        if index is not None:
            item.set_metainfo(dict(unlabeled_index=index))
        return item

    inputs: list[dict[str, Any]] = []
    samples: list[dict[str, Any]] = []
    for i in range(num_labeled):
        inputs.append({'labeled': view(False)})
        samples.append({'labeled': sample(i % model.num_classes)})
    for i in range(num_unlabeled):
        inputs.append({'weak': view(False), 'strong': view(True)})
        label = i % model.num_classes
        samples.append({'weak': sample(label, i), 'strong': sample(label, i)})
    return {'inputs': inputs, 'data_samples': samples}


@dataclass
class StepRunner:
    """One config's model, optimizer, batch and the times measured so far (seconds).

    Attributes:
        name (str): Label of the config in the table.
        mix (str): The mixer's class name (``'none'`` without a mixer).
        model (nn.Module): The model in training mode.
        optim_wrapper (OptimWrapper): Its optimizer wrapper.
        batch (dict): The raw batch, reused every step.
        step_times (list[float]): Wall time of each timed step.
        localizer_times (list[float]): Time inside ``localization_maps`` per timed step.
        mixer_times (list[float]): Time inside the mixer per timed step.
    """

    name: str
    mix: str
    model: nn.Module
    optim_wrapper: OptimWrapper
    batch: dict[str, list[Any]]
    step_times: list[float] = field(default_factory=list)
    localizer_times: list[float] = field(default_factory=list)
    mixer_times: list[float] = field(default_factory=list)
    _inside: dict[str, float] = field(default_factory=dict)

    def _timed(self, fn: Callable[..., Any], key: str) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self._inside[key] = self._inside.get(key, 0.0) + time.perf_counter() - start

        return wrapped

    def instrument(self) -> None:
        """Record the time spent in the localizer and the mixer (instance attributes)."""
        if getattr(self.model, 'localizer', None) is not None:
            self.model.localization_maps = self._timed(self.model.localization_maps, 'localizer')
        if self.model.mixer is not None:
            self.model.mixer.forward = self._timed(self.model.mixer.forward, 'mixer')

    def step(self, record: bool = True) -> float:
        """Run one training step; append its times when ``record``.

        Args:
            record (bool): Keep the measurement (False for warm-up steps). Defaults to True.

        Returns:
            float: Seconds of the step.
        """
        self._inside = {}
        start = time.perf_counter()
        self.model.train_step(self.batch, self.optim_wrapper)
        seconds = time.perf_counter() - start
        if record:
            self.step_times.append(seconds)
            self.localizer_times.append(self._inside.get('localizer', 0.0))
            self.mixer_times.append(self._inside.get('mixer', 0.0))
        return seconds


def build_runner(
    cfg: Config, name: str, batch_size: int | None = None, seed: int = 0
) -> StepRunner:
    """Build a config's model (CPU, random weights), optimizer wrapper and batch.

    Args:
        cfg (Config): The config of an ``AVSemiRecognizer``.
        name (str): Label in the table.
        batch_size (int | None): Clips per batch (labeled + unlabeled); None = the config's.
            Defaults to None.
        seed (int): Seed of the weights and the batch. Defaults to 0.

    Returns:
        StepRunner: Ready to :meth:`StepRunner.step`.

    Raises:
        ValueError: If the model is not a semi-supervised recognizer.
    """
    torch.manual_seed(seed)
    model = MODELS.build(copy.deepcopy(cfg.model))
    if not all(hasattr(model, key) for key in ('student', 'teacher', 'threshold', 'mixer')):
        raise ValueError(
            f'{name}: the timing needs an AVSemiRecognizer config, got {type(model).__name__}'
        )
    labeled, unlabeled = split_batch(cfg, batch_size)
    if model.threshold.needs_num_samples and model.threshold.num_samples is None:
        model.threshold.setup(unlabeled)
    model.train()
    logger = MMLogger.get_current_instance()
    level = logger.level
    logger.setLevel(logging.ERROR)  # one line per parameter (paramwise options, frozen ones)
    try:
        optim_wrapper = build_optim_wrapper(model, copy.deepcopy(cfg.optim_wrapper))
    finally:
        logger.setLevel(level)
    batch = raw_semi_batch(model, labeled, unlabeled, seed)
    mix = type(model.mixer).__name__ if model.mixer is not None else 'none'
    runner = StepRunner(name, mix, model, optim_wrapper, batch)
    runner.instrument()
    return runner


def run_interleaved(runners: Sequence[StepRunner], iters: int, warmup: int = 1) -> None:
    """Step the runners in turns: ``warmup`` untimed rounds, then ``iters`` timed ones.

    The unlabeled-loss ramp (``unsup_warmup_iters``) is set to its full weight by placing
    mmengine's iteration counter past it, so every step trains on all losses.

    Args:
        runners (Sequence[StepRunner]): The configs.
        iters (int): Timed rounds (>= 1).
        warmup (int): Untimed rounds first. Defaults to 1.
    """
    if iters < 1 or warmup < 0:
        raise ValueError(f'need iters >= 1 and warmup >= 0, got {iters} and {warmup}')
    hub = MessageHub.get_current_instance()
    ramp = max(
        getattr(r.model, 'unsup_warmup_iters', 0) + getattr(r.model, 'unsup_start_iter', 0)
        for r in runners
    )
    hub.update_info('iter', ramp)
    for round_index in range(warmup + iters):
        for runner in runners:
            runner.step(record=round_index >= warmup)


def _ms(values: Sequence[float], fn: Callable[[Sequence[float]], float]) -> float:
    return 1000.0 * fn(values) if values else float('nan')


def timing_table(runners: Sequence[StepRunner]) -> str:
    """The table of times (ms) per config and the ASL / tube ratios.

    Args:
        runners (Sequence[StepRunner]): Runners after :func:`run_interleaved`.

    Returns:
        str: The table; then one line per (ASL-guided, tube) pair of configs:
        ``ratio ASL/tube <asl>/<tube>: median=<float> mean=<float>``.
    """
    width = max(len(r.name) for r in runners)
    head = (
        f'{"config":<{width}}  {"mix":<13}  {"median ms":>10}  {"mean ms":>10}  '
        f'{"min ms":>10}  {"localizer ms":>12}  {"mixer ms":>9}  {"n":>3}'
    )
    lines = [head, '-' * len(head)]
    for r in runners:
        lines.append(
            f'{r.name:<{width}}  {r.mix:<13}  {_ms(r.step_times, statistics.median):>10.1f}  '
            f'{_ms(r.step_times, statistics.fmean):>10.1f}  {_ms(r.step_times, min):>10.1f}  '
            f'{_ms(r.localizer_times, statistics.median):>12.1f}  '
            f'{_ms(r.mixer_times, statistics.median):>9.1f}  {len(r.step_times):>3d}'
        )
    asl = [r for r in runners if r.mix == 'ASLGuidedMix']
    tube = [r for r in runners if r.mix == 'TubeTokenMix']
    for a in asl:
        for t in tube:
            median = statistics.median(a.step_times) / statistics.median(t.step_times)
            mean = statistics.fmean(a.step_times) / statistics.fmean(t.step_times)
            lines.append(f'ratio ASL/tube {a.name}/{t.name}: median={median:.3f} mean={mean:.3f}')
    return '\n'.join(lines)


def config_name(path: str) -> str:
    """A config's file name without folder and ``.py``."""
    name = path.replace('\\', '/').rsplit('/', 1)[-1]
    return name[:-3] if name.endswith('.py') else name


def load_configs(
    paths: Sequence[str], cfg_options: Mapping[str, Any] | None = None
) -> list[tuple[str, Config]]:
    """Load the configs (with ``cfg_options`` merged into each).

    Args:
        paths (Sequence[str]): Config files.
        cfg_options (Mapping | None): Options for every config. Defaults to None.

    Returns:
        list[tuple[str, Config]]: ``(name, config)`` pairs.
    """
    from avssl.utils.cli import load_config

    return [(config_name(path), load_config(path, cfg_options)) for path in paths]
