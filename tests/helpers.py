"""Helpers shared by the tests (imported as ``helpers``; ``tests/`` is on ``sys.path``)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from mmengine.config import Config

REPO = Path(__file__).resolve().parents[1]

#: A 1-layer, 24-wide video transformer on 2 frames of 32x32 (mmaction2's ``TimeSformer``;
#: ``dict(TINY_VIDEO, type='MixableTimeSformer')`` for token mixing).
TINY_VIDEO = dict(
    type='TimeSformer',
    num_frames=2,
    img_size=32,
    patch_size=16,
    embed_dims=24,
    num_heads=2,
    num_transformer_layers=1,
)
#: A 1-layer, 16-wide audio transformer on 32x32 log-mel features.
TINY_AUDIO = dict(
    type='AudioTransformer', input_tdim=32, input_fdim=32, patch_size=16, embed_dims=16, depth=1,
    num_heads=2,
)  # fmt: skip


def labeled_samples(labels: list[int], first_index: int | None = None) -> list[Any]:
    """mmaction2 data samples with ``gt_labels``; with ``first_index``, unlabeled indices
    ``first_index, first_index + 1, ...`` in their metainfo (as the unlabeled loader gives)."""
    import torch
    from mmaction.structures import ActionDataSample
    from mmengine.structures import LabelData

    out = []
    for i, label in enumerate(labels):
        sample = ActionDataSample()
        sample.gt_labels = LabelData(item=torch.tensor([label]))
        if first_index is not None:
            sample.set_metainfo(dict(unlabeled_index=first_index + i))
        out.append(sample)
    return out


#: Arguments of a SynthAV set small enough to generate in a few seconds.
TINY_SYNTHAV = dict(
    num_classes=4,
    clips_per_class=10,
    num_distractors=1,
    seed=0,
    duration=1.2,
    workers=1,
    progress=False,
)


def make_tiny_synthav(out_dir: Path) -> Path:
    """Generate a tiny SynthAV folder at ``out_dir`` and return it."""
    from avssl.datasets.synthav import generate_synthav

    generate_synthav(out_dir, **TINY_SYNTHAV)
    return out_dir


def tiny_train_config(
    config: str,
    data_root: Path,
    work_dir: Path,
    max_iters: int = 2,
    batch_size: int = 2,
    num_workers: int = 1,
    checkpoint_interval: int = 1,
) -> Config:
    """Load a user config and shrink it to a few iterations on a tiny data set."""
    cfg = Config.fromfile(str(REPO / config))
    cfg.work_dir = str(work_dir)
    for split in ('train', 'val', 'test'):
        loader = cfg.get(f'{split}_dataloader')
        if loader is None:
            continue
        _point_dataset(loader['dataset'], data_root)
        loader['num_workers'] = num_workers
        loader['persistent_workers'] = False
        if split == 'train':
            loader['batch_size'] = batch_size
    network = cfg.model.network if 'network' in cfg.model else cfg.model
    network.cls_head.num_classes = TINY_SYNTHAV['num_classes']
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=10**9)
    cfg.param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
    cfg.default_hooks.checkpoint = dict(
        type='CheckpointHook', interval=checkpoint_interval, by_epoch=False
    )
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=1)
    return cfg


def _point_dataset(dataset: dict[str, Any], data_root: Path) -> None:
    """Point a (Semi)dataset config at ``data_root`` and turn off SynthAV generation."""
    parts = [dataset[k] for k in ('labeled', 'unlabeled') if k in dataset] or [dataset]
    for part in parts:
        part['data_root'] = str(data_root)
        part['auto_generate'] = False


def load_tool(path: str) -> ModuleType:
    """Import a script under ``tools/`` (not a package) by its path relative to the repo."""
    spec = importlib.util.spec_from_file_location(Path(path).stem, REPO / path)
    module = importlib.util.module_from_spec(spec)
    # registered before it runs, as an import would: dataclasses look their module up there
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def run_tool(args: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run ``python <args>`` from ``cwd`` and return the finished process (output captured)."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def write_media(
    path: Path,
    num_frames: int = 25,
    fps: int = 25,
    size: tuple[int, int] = (64, 48),
    video: bool = True,
    audio: bool = True,
    sample_rate: int = 16000,
    layout: str = 'mono',
    tone_hz: float = 440.0,
    duration: float | None = None,
) -> Path:
    """Write a small real media file with PyAV: H.264 frames and/or an AAC tone.

    Frame ``i`` is a flat grey of value ``5 * i`` (so decoded frames identify their index);
    the audio is a sine of ``tone_hz`` lasting ``duration`` s (default: as long as the video).
    """
    import av
    import numpy as np

    width, height = size
    seconds = duration if duration is not None else num_frames / fps
    with av.open(str(path), 'w') as container:
        vstream = None
        if video:
            vstream = container.add_stream('libx264', rate=fps)
            vstream.width, vstream.height, vstream.pix_fmt = width, height, 'yuv420p'
        astream = None
        if audio:
            astream = container.add_stream('aac', rate=sample_rate)
            astream.layout = layout
        if vstream is not None:
            for i in range(num_frames):
                img = np.full((height, width, 3), (5 * i) % 256, np.uint8)
                frame = av.VideoFrame.from_ndarray(img, format='rgb24')
                for packet in vstream.encode(frame):
                    container.mux(packet)
            for packet in vstream.encode():
                container.mux(packet)
        if astream is not None:
            channels = astream.layout.nb_channels
            n = int(round(seconds * sample_rate))
            t = np.arange(n) / sample_rate
            wave = (0.3 * np.sin(2 * np.pi * tone_hz * t)).astype(np.float32)
            wave = np.repeat(wave[None], channels, axis=0)
            for start in range(0, n, 1024):
                chunk = np.ascontiguousarray(wave[:, start : start + 1024])
                frame = av.AudioFrame.from_ndarray(chunk, format='fltp', layout=layout)
                frame.sample_rate = sample_rate
                frame.pts = start
                for packet in astream.encode(frame):
                    container.mux(packet)
            for packet in astream.encode():
                container.mux(packet)
    return path


def write_malicious_checkpoint(path: Path, marker: Path) -> Path:
    """Write a ``.pth`` whose unpickling (``weights_only=False``) runs ``touch marker``.

    Its ``state_dict`` is a real tensor dict, so only the pickled call makes it unsafe.
    """
    import os

    import torch

    class Payload:
        def __reduce__(self) -> tuple:
            return (os.system, (f'touch {marker}',))

    torch.save({'state_dict': {'w': torch.zeros(2)}, 'meta': {'note': Payload()}}, path)
    return path


def toy_model(loss_hook: Any = None) -> Any:
    """A one-layer mmengine ``BaseModel`` whose training step returns ``loss_a`` and ``loss_b``.

    ``loss_hook(losses, model)`` may edit the loss dict of every step (e.g. make a term NaN at a
    chosen iteration).
    """
    import torch
    from mmengine.model import BaseModel

    class Toy(BaseModel):
        def __init__(self) -> None:
            super().__init__()
            self.fc = torch.nn.Linear(2, 1)

        def forward(self, inputs: Any, data_samples: Any = None, mode: str = 'loss') -> Any:
            out = self.fc(inputs)
            if mode != 'loss':
                return out
            losses = {'loss_a': out.pow(2).mean(), 'loss_b': out.abs().mean()}
            if loss_hook is not None:
                loss_hook(losses, self)
            return losses

    return Toy()


def toy_runner(
    work_dir: Path,
    max_iters: int = 2,
    checkpoint_interval: int = 1,
    custom_hooks: list | None = None,
    loss_hook: Any = None,
) -> Any:
    """An mmengine ``Runner`` training :func:`toy_model` on random 2-d points (a second)."""
    import torch
    from mmengine.runner import Runner
    from torch.utils.data import DataLoader

    torch.manual_seed(0)
    data = [dict(inputs=torch.randn(2)) for _ in range(16)]
    return Runner(
        model=toy_model(loss_hook),
        work_dir=str(work_dir),
        experiment_name=f'toy_{work_dir.name}',
        train_dataloader=DataLoader(data, batch_size=2),
        train_cfg=dict(by_epoch=False, max_iters=max_iters),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1)),
        default_hooks=dict(
            checkpoint=dict(type='CheckpointHook', interval=checkpoint_interval, by_epoch=False),
            logger=dict(type='LoggerHook', interval=1),
        ),
        custom_hooks=custom_hooks or [],
        default_scope='avssl',
    )


def tiny_checkpoint(config: str, data_root: Path, work_dir: Path, stem: str = 'init') -> tuple:
    """A tiny version of a user config, dumped to ``work_dir``, and its initial weights.

    Returns:
        tuple[Path, Path]: The dumped config file and a checkpoint of the freshly built model
        (the tools under test load both through their real paths).
    """
    from mmengine.runner import save_checkpoint

    from avssl.apis import init_recognizer

    cfg = tiny_train_config(config, data_root, work_dir)
    config_file = work_dir / f'{stem}.py'
    cfg.dump(str(config_file))
    model = init_recognizer(str(config_file))
    checkpoint = work_dir / f'{stem}.pth'
    save_checkpoint({'state_dict': model.state_dict()}, str(checkpoint))
    return config_file, checkpoint
