"""tools/demo/demo_av.py and avssl.apis: top-k classes of a video, errors, sound source maps."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path
from types import ModuleType

import decord
import numpy as np
import pytest
import torch
from helpers import REPO, run_tool, write_media
from mmengine.config import Config

from avssl.apis import inference_av, init_localizer, init_recognizer
from avssl.registry import MODELS

AV_CONFIG = 'configs/sup_tiny_synthav_5shot_av.py'
SEMI_CONFIG = 'configs/svformer_tiny_synthav_1shot_flex.py'
FNAC_CONFIG = 'configs/fnac_r18_synthav_short.py'
LINE = re.compile(r'^\s*(\d+)\. (\d\.\d{4})  (.+) \((\d+)\)$')


def _demo() -> ModuleType:
    spec = importlib.util.spec_from_file_location('demo_av', REPO / 'tools/demo/demo_av.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _save_random(config: str, path: Path, **overrides: object) -> Path:
    """Build ``config``'s model (randomly initialised) and save it as an mmengine checkpoint."""
    cfg = Config.fromfile(str(REPO / config))
    cfg.merge_from_dict(overrides)
    model = MODELS.build(cfg.model)
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, path)
    return path


@pytest.fixture(scope='module')
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp('demo')
    return dict(
        av4=_save_random(AV_CONFIG, tmp / 'av4.pth', **{'model.cls_head.num_classes': 4}),
        av10=_save_random(AV_CONFIG, tmp / 'av10.pth'),
        fnac=_save_random(FNAC_CONFIG, tmp / 'fnac.pth'),
        sound=write_media(tmp / 'with_sound.mp4', num_frames=25, size=(64, 48)),
        silent=write_media(tmp / 'silent.mp4', num_frames=25, size=(64, 48), audio=False),
    )


def _lines(out: str) -> list[tuple[int, float, str, int]]:
    found = [LINE.match(line) for line in out.splitlines()]
    return [(int(m[1]), float(m[2]), m[3], int(m[4])) for m in found if m]


def test_top5_with_class_indices(
    files: dict, tiny_synthav: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    # A 10-class model and a data folder with stats.json but no classes.txt: indices as names.
    shutil.copy(tiny_synthav / 'stats.json', tmp_path / 'stats.json')
    options = ['--cfg-options', f'test_dataloader.dataset.data_root={tmp_path}']
    args = [str(files['sound']), str(REPO / AV_CONFIG), str(files['av10']), *options]
    assert _demo().main(args) == 0
    lines = _lines(capsys.readouterr().out)
    assert [rank for rank, *_ in lines] == [1, 2, 3, 4, 5]
    scores = [score for _, score, _, _ in lines]
    assert scores == sorted(scores, reverse=True) and sum(scores) <= 1.0 + 1e-3
    assert all(name == str(label) for _, _, name, label in lines)


def test_class_names_and_asl_png(
    files: dict, tiny_synthav: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    png = tmp_path / 'maps' / 'asl.png'
    args = [str(files['sound']), str(REPO / AV_CONFIG), str(files['av4'])]
    args += ['--cfg-options', 'model.cls_head.num_classes=4']
    args += [f'test_dataloader.dataset.data_root={tiny_synthav}', '--asl-map', str(png)]
    args += ['--localizer-config', str(REPO / FNAC_CONFIG), '--localizer-ckpt', str(files['fnac'])]
    assert _demo().main(args) == 0
    out = capsys.readouterr().out
    lines = _lines(out)
    names = (tiny_synthav / 'classes.txt').read_text().split()
    assert len(lines) == 4  # --topk 5 on 4 classes: all of them
    assert all(name == names[label] for _, _, name, label in lines)
    assert abs(sum(score for _, score, _, _ in lines) - 1.0) < 1e-3
    assert png.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'
    assert f'sound source maps: {png}' in out


def test_silent_video_fails_naming_the_file(files: dict, tiny_synthav: Path) -> None:
    args = [str(files['silent']), AV_CONFIG, str(files['av4'])]
    args += ['--cfg-options', 'model.cls_head.num_classes=4']
    args += [f'test_dataloader.dataset.data_root={tiny_synthav}']
    proc = run_tool(['tools/demo/demo_av.py', *args], cwd=REPO)
    assert proc.returncode == 1
    assert f'error: {files["silent"]} has no audio track' in proc.stderr
    assert 'Traceback' not in proc.stderr


def test_class_list_mismatch_and_missing_ckpt(
    files: dict, tiny_synthav: Path, capsys: pytest.CaptureFixture
) -> None:
    options = ['--cfg-options', f'test_dataloader.dataset.data_root={tiny_synthav}']
    demo = _demo()
    assert demo.main([str(files['sound']), AV_CONFIG, str(files['av10']), *options]) == 1
    assert '4 classes in classes.txt' in capsys.readouterr().err
    assert demo.main([str(files['sound']), AV_CONFIG, 'nowhere.pth', *options]) == 1
    assert 'checkpoint file not found: nowhere.pth' in capsys.readouterr().err
    options.append('model.cls_head.num_classes=4')
    assert demo.main([str(files['sound']), AV_CONFIG, str(files['av10']), *options]) == 1
    err = capsys.readouterr().err
    assert f'checkpoint {files["av10"]} does not fit the model' in err and 'cls_head' in err


def test_semi_recognizer_video_only_on_a_silent_video(files: dict, tiny_synthav: Path) -> None:
    # A video-only AVSemiRecognizer (SVFormer): the pipeline drops its audio steps.
    ckpt = _save_random(
        SEMI_CONFIG, files['av4'].parent / 'semi.pth', **{'model.network.cls_head.num_classes': 4}
    )
    options = {
        'model.network.cls_head.num_classes': 4,
        'test_dataloader.dataset.data_root': str(tiny_synthav),
    }
    model = init_recognizer(REPO / SEMI_CONFIG, str(ckpt), cfg_options=options)
    result = inference_av(model, files['silent'], topk=2)
    assert result.scores.shape == (4,) and len(result.topk) == 2
    assert result.topk[0].score >= result.topk[1].score


def test_localizer_from_a_model_entry_and_mp4_map(files: dict, tmp_path: Path) -> None:
    entry = dict(
        Config.fromfile(str(REPO / FNAC_CONFIG)).model,
        checkpoint=str(files['fnac']),
        config=FNAC_CONFIG,  # as in the method configs' model.localizer
    )
    localizer = init_localizer(entry)
    assert localizer.frozen
    with pytest.raises(ValueError, match='needs weights'):
        init_localizer({k: v for k, v in entry.items() if k != 'checkpoint'})
    demo = _demo()
    args = demo.parse_args(
        [str(files['sound']), AV_CONFIG, 'unused.pth', '--asl-map', str(tmp_path / 'm.mp4')]
    )
    cfg = Config.fromfile(str(REPO / AV_CONFIG))
    cfg.model.localizer = entry  # the later `model.localizer` config entry
    assert demo.write_asl_map(args, cfg) == str(tmp_path / 'm.mp4')
    reader = decord.VideoReader(str(tmp_path / 'm.mp4'))
    assert len(reader) == 8 and reader[0].asnumpy().shape == (48, 64, 3)
    assert np.ptp(reader[0].asnumpy()) > 0
