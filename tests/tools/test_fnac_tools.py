"""FNAC end to end: tools/train.py, tools/test.py, the heat-map figures, the weight converter."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
import torch
import torchvision
from helpers import REPO, run_tool
from mmengine.config import Config
from torch import nn

from avssl.models.localizers import FNAC

CONFIG = 'configs/fnac_r18_synthav_short.py'


def _tiny_fnac_config(data_root: Path, work_dir: Path, max_iters: int = 2) -> Path:
    """The short FNAC config on a tiny SynthAV folder, with a tiny model; returns its path."""
    cfg = Config.fromfile(str(REPO / CONFIG))
    cfg.work_dir = str(work_dir)
    for split in ('train', 'val', 'test'):
        loader = cfg[f'{split}_dataloader']
        loader.dataset.data_root = str(data_root)
        loader.dataset.auto_generate = False
        loader.num_workers = 0
        loader.persistent_workers = False
        loader.batch_size = 4
    # smaller than the shipped visual stream: start it from scratch
    cfg.model.update(width_mult=0.125, embed_dim=16, warmup_iters=1, visual_pretrained=None)
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=10**9)
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=max_iters, by_epoch=False)
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=1)
    path = work_dir / 'fnac_tiny.py'
    cfg.dump(str(path))
    return path


@pytest.mark.slow
def test_train_test_and_visualize(tiny_synthav: Path, tmp_path: Path) -> None:
    cfg = _tiny_fnac_config(tiny_synthav, tmp_path)
    proc = run_tool(['tools/train.py', str(cfg)], cwd=REPO)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    # Iteration 1 is the warm-up (InfoNCE alone); from iteration 2 on the FNAC terms count.
    assert 'loss_infonce' in out and 'loss_fn_audio: 0.0000' in out
    last = [line for line in out.splitlines() if 'Iter(train) [2/2]' in line]
    assert last and 'loss_fn_audio: 0.0000' not in last[0], last
    ckpt = tmp_path / 'iter_2.pth'
    assert ckpt.is_file()

    proc = run_tool(
        ['tools/test.py', str(cfg), str(ckpt), '--work-dir', str(tmp_path / 'test')], cwd=REPO
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    assert 'cIoU@0.5' in out and 'AUC' in out and 'mean_cIoU' in out
    metrics = json.loads((tmp_path / 'test' / 'test_metrics.json').read_text())
    for key in ('cIoU@0.5', 'AUC', 'mean_cIoU'):
        assert 0.0 <= metrics[key] <= 1.0

    figures = tmp_path / 'figures'
    proc = run_tool(
        ['tools/analysis/visualize_asl.py', str(cfg), str(ckpt)]
        + ['--out', str(figures), '--num', '2'],
        cwd=REPO,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    pngs = sorted(figures.glob('*.png'))
    assert len(pngs) == 2
    assert all(p.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n' for p in pngs)

    proc = run_tool(
        ['tools/analysis/localization_stats.py', str(cfg), str(ckpt), '--num', '3'], cwd=REPO
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    assert 'test: 3 clips' in proc.stdout
    last = dict(kv.split('=') for kv in proc.stdout.strip().splitlines()[-1].split())
    assert set(last) == {'pointing', 'ciou05', 'mean_ciou', 'mass_in_box', 'box_area'}
    assert all(0.0 <= float(v) <= 1.0 for v in last.values())


def _fake_official_checkpoint() -> dict:
    """A checkpoint with the official release's keys and shapes (random weights)."""
    imgnet = torchvision.models.resnet18(weights=None)
    imgnet.avgpool, imgnet.fc = nn.Identity(), nn.Identity()
    audnet = torchvision.models.resnet18(weights=None)
    audnet.conv1 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
    audnet.avgpool, audnet.fc = nn.AdaptiveMaxPool2d(1), nn.Identity()
    parts = dict(
        imgnet=imgnet,
        img_proj=nn.Conv2d(512, 512, kernel_size=1),
        audnet=audnet,
        aud_proj=nn.Linear(512, 512),
    )
    state = {
        f'module.{name}.{key}': value
        for name, module in parts.items()
        for key, value in module.state_dict().items()
    }
    return {'model': state, 'epoch': 20}


def _converter_main():
    path = REPO / 'tools/model_converters/fnac_to_avssl.py'
    spec = importlib.util.spec_from_file_location('fnac_to_avssl', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main


def test_converter_cli(tmp_path: Path) -> None:
    checkpoint = _fake_official_checkpoint()
    torch.save(checkpoint, tmp_path / 'official.pth')
    proc = run_tool(
        ['tools/model_converters/fnac_to_avssl.py', str(tmp_path / 'official.pth')]
        + [str(tmp_path / 'avssl.pth')],
        cwd=REPO,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    assert 'imgnet.* -> visual_net.*' in out and 'loads strictly' in out
    converted = torch.load(tmp_path / 'avssl.pth', weights_only=True)
    model = FNAC()
    model.load_state_dict(converted['state_dict'], strict=True)
    assert torch.equal(model.visual_proj.weight, checkpoint['model']['module.img_proj.weight'])

    bad = dict(checkpoint['model'])
    bad['module.classifier.weight'] = torch.zeros(3)
    torch.save({'model': bad}, tmp_path / 'bad.pth')
    main = _converter_main()
    assert main([str(tmp_path / 'bad.pth'), str(tmp_path / 'out.pth')]) == 1
    assert not (tmp_path / 'out.pth').exists()


@pytest.mark.slow
def test_probe_caches_trains_and_evaluates(tiny_synthav: Path, tmp_path: Path) -> None:
    cfg = _tiny_fnac_config(tiny_synthav, tmp_path)
    probe = 'tools/experiments/fnac_probe.py'
    cache = tmp_path / 'cache'
    steps = [
        [probe, 'cache-train', str(tiny_synthav), str(cache / 'train.npz'), '--frames', '2'],
        [probe, 'cache-eval', str(cfg), 'val', str(cache / 'val.npz')],
        [probe, 'cache-eval', str(cfg), 'test', str(cache / 'test.npz')],
    ]
    for step in steps:
        proc = run_tool(step, cwd=REPO)
        assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    out = tmp_path / 'probe.json'
    train = [probe, 'train', str(cfg), '--cache-dir', str(cache), '--iters', '2']
    train += ['--eval-every', '1', '--batch-size', '4', '--out', str(out)]
    proc = run_tool(train + ['--set', 'map_sigma=1.0'], cwd=REPO)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    result = json.loads(out.read_text())
    assert [r['iter'] for r in result['log']] == [1, 2]
    assert result['overrides'] == ['map_sigma=1.0']
    for key in ('cIoU@0.5', 'AUC', 'mean_cIoU', 'pointing'):
        assert 0.0 <= result['test'][key] <= 1.0
    proc = run_tool(train + ['--set', 'no_such_option=1'], cwd=REPO)
    assert proc.returncode != 0 and 'no_such_option' in proc.stderr
