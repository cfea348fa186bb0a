"""The shipped SynthAV-pretrained checkpoints: manifest, sha256, strict loading by the real path.

The files stand in for ImageNet / AudioSet weights on the CPU, so they must load through the
same code as those (timm ViT -> ``MixableTimeSformer`` and ``AudioTransformer``, torchvision
ResNet-18 -> FNAC's ``visual_pretrained``), and every tiny config must start from them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from helpers import load_tool
from mmengine.config import Config

from avssl.pretrain.export import read_manifest, sha256_file
from avssl.registry import MODELS

REPO = Path(__file__).resolve().parents[2]
FOLDER = REPO / 'checkpoints' / 'synthav_pretrained'
MANIFEST = read_manifest(FOLDER / 'manifest.json')
FILES = {name: FOLDER / entry['file'] for name, entry in MANIFEST['files'].items()}


def test_manifest_lists_the_encoders_and_localizer_with_command_commit_and_metrics() -> None:
    assert set(FILES) == {
        'video',
        'video_presence',
        'audio',
        'fnac_visual',
        'localizer',
        'localizer_long',
        'video_clips_srcpulse',
        'av_sync_head',
    }
    generator = MANIFEST['data']['generator']
    # disjoint from the target set: universe classes 10-29, the target holds 0-9
    assert generator['class_offset'] >= 10 and generator['test_fraction'] == 0.0
    for name, entry in MANIFEST['files'].items():
        assert entry['command'].startswith('python tools/pretrain/synthav_pretrain.py'), name
        assert len(entry['commit'].split('+')[0].split()[0]) == 40, name
        metrics = entry['test'] if name.startswith('localizer') else entry['val']
        assert 0.0 <= metrics.get('top1', metrics.get('cIoU@0.5')) <= 1.0, name
    assert MANIFEST['files']['audio']['val']['num_clips'] == MANIFEST['data']['val_clips']
    # the clip start's own set: the same classes, seed and splits, only the source pulsing
    clips = MANIFEST['files']['video_clips_srcpulse']['data']
    assert clips['generator'] == dict(generator, distractor_pulse=False)
    assert clips['val_clips'] == MANIFEST['data']['val_clips']
    # the budget: all shipped files together under 20 MB
    assert sum(p.stat().st_size for p in FILES.values()) < 20 * 2**20


@pytest.mark.parametrize(
    'name',
    [
        'video',
        'video_presence',
        'audio',
        'fnac_visual',
        'localizer',
        'localizer_long',
        'video_clips_srcpulse',
        'av_sync_head',
    ],
)
def test_sha256_matches_the_manifest(name: str) -> None:
    assert sha256_file(FILES[name]) == MANIFEST['files'][name]['sha256']


def test_files_are_plain_tensor_dicts_in_the_real_layouts() -> None:
    video = torch.load(FILES['video'], weights_only=True)
    assert {'cls_token', 'pos_embed', 'patch_embed.proj.weight', 'head.weight'} <= set(video)
    assert video['patch_embed.proj.weight'].shape == (96, 3, 16, 16)
    audio = torch.load(FILES['audio'], weights_only=True)
    assert audio['patch_embed.proj.weight'].shape == (96, 1, 16, 16)
    assert audio['pos_embed'].shape == (1, 1 + 16 * 8, 96)
    resnet = torch.load(FILES['fnac_visual'], weights_only=True)
    assert {'conv1.weight', 'bn1.running_mean', 'layer4.1.conv2.weight', 'fc.weight'} <= set(resnet)


def _network(config: str) -> dict:
    cfg = Config.fromfile(str(REPO / config))
    return cfg.model.network if 'network' in cfg.model else cfg.model


@pytest.mark.parametrize(
    'name,config',
    [
        ('video', 'configs/svformer_tiny_synthav_1shot_flex.py'),
        # the start chosen on 5-shot val (docs/reproduction.md)
        ('video_presence', 'configs/ablations/avssl_tiny_synthav_5shot_auxsum_w2_vpres.py'),
    ],
)
def test_video_backbone_loads_the_timm_file_through_its_pretrained_path(
    name: str, config: str
) -> None:
    backbone_cfg = _network(config)['backbone']
    assert backbone_cfg['pretrained'] == 'checkpoints/synthav_pretrained/' + FILES[name].name
    backbone = MODELS.build(dict(backbone_cfg, pretrained=str(FILES[name])))
    report = backbone.load_pretrained(str(FILES[name]))
    # everything but the temporal parts an image ViT cannot have
    assert sorted(report.missing) == sorted(
        ['time_embed']
        + [
            f'transformer_layers.layers.{i}.attentions.0.temporal_fc.{p}'
            for i in (0, 1)
            for p in ('weight', 'bias')
        ]
    )
    state = torch.load(FILES[name], weights_only=True)
    ours = backbone.state_dict()
    assert torch.equal(ours['patch_embed.projection.weight'], state['patch_embed.proj.weight'])
    layer = 'transformer_layers.layers.1'
    for attention in (0, 1):  # spatial weights, copied into the temporal attention too
        assert torch.equal(
            ours[f'{layer}.attentions.{attention}.attn.in_proj_weight'],
            state['blocks.1.attn.qkv.weight'],
        )
    assert torch.equal(ours[f'{layer}.ffns.0.layers.1.weight'], state['blocks.1.mlp.fc2.weight'])


def test_audio_backbone_loads_every_tensor_of_its_file() -> None:
    audio_cfg = _network('configs/avssl_tiny_synthav_1shot.py')['audio_backbone']
    assert audio_cfg['pretrained'] == 'checkpoints/synthav_pretrained/' + FILES['audio'].name
    backbone = MODELS.build(dict(audio_cfg, pretrained=None))
    report = backbone.load_pretrained(str(FILES['audio']))
    assert report.missing == [] and len(report.loaded) == report.expected
    state = torch.load(FILES['audio'], weights_only=True)
    for key, value in backbone.state_dict().items():
        assert torch.equal(value, state[key]), key


def test_fnac_visual_stream_loads_the_resnet_file() -> None:
    cfg = Config.fromfile(str(REPO / 'configs/fnac_r18_synthav_short.py'))
    assert (
        cfg.model.visual_pretrained == 'checkpoints/synthav_pretrained/' + FILES['fnac_visual'].name
    )
    model = MODELS.build(dict(cfg.model, visual_pretrained=str(FILES['fnac_visual'])))
    model.init_weights()
    state = torch.load(FILES['fnac_visual'], weights_only=True)
    trunk = model.visual_net.state_dict()
    assert set(trunk) == {k for k in state if not k.startswith('fc.')}
    for key, value in trunk.items():
        assert torch.equal(value, state[key]), key


@pytest.mark.parametrize(
    'config',
    sorted(
        str(p.relative_to(REPO))
        for p in (REPO / 'configs').rglob('*tiny*.py')
        if '_base_' not in p.parts and 'scratch' not in p.name
    ),
)
def test_every_tiny_config_starts_from_the_pretrained_files(config: str) -> None:
    network = _network(config)
    found = []
    if network.get('backbone'):
        found.append(network['backbone'].get('pretrained'))
    if network.get('audio_backbone'):
        found.append(network['audio_backbone'].get('pretrained'))
    assert found and all(p and (REPO / p).is_file() for p in found), (config, found)


def test_long_localizer_is_the_val_chosen_checkpoint_of_the_long_schedule() -> None:
    entry = MANIFEST['files']['localizer_long']
    assert entry['task'].startswith('configs/fnac_r18_synthav.py')
    assert entry['checkpoint'].startswith('best (best_cIoU@0.5_iter_')  # chosen on val
    assert entry['test']['cIoU@0.5'] >= 0.80  # the localizer goal


@pytest.mark.parametrize(
    'config, name',
    [
        ('configs/avssl_tiny_synthav_1shot.py', 'localizer'),
        ('configs/avssl_tiny_synthav_1shot_asl.py', 'localizer'),
        ('configs/ablations/avssl_tiny_synthav_1shot_loclong.py', 'localizer_long'),
        ('configs/ablations/avssl_tiny_synthav_1shot_asl_auxsum_loclong.py', 'localizer_long'),
    ],
)
def test_shipped_localizer_loads_strictly_into_the_methods_frozen_fnac(
    config: str, name: str
) -> None:
    from avssl.models.localizers.fnac_checkpoint import load_fnac_weights

    localizer_cfg = Config.fromfile(str(REPO / config)).model.localizer
    assert localizer_cfg['checkpoint'] == 'checkpoints/synthav_pretrained/' + FILES[name].name
    cfg = {k: v for k, v in localizer_cfg.items() if k not in ('checkpoint', 'config')}
    model = MODELS.build(cfg)
    load_fnac_weights(model, FILES[name])  # strict: every key and shape
    state = torch.load(FILES[name], weights_only=True)
    assert torch.equal(model.state_dict()['audio_proj.weight'], state['audio_proj.weight'])


ASL_CONFIGS = sorted(
    str(p.relative_to(REPO))
    for p in (REPO / 'configs').rglob('avssl_tiny*.py')
    if '_base_' not in p.parts and Config.fromfile(str(p)).model.get('localizer') is not None
)


def test_the_asl_configs_are_found() -> None:
    assert {
        'configs/avssl_tiny_synthav_1shot.py',
        'configs/ablations/avssl_tiny_synthav_1shot_loclong.py',
    } <= set(ASL_CONFIGS)


@pytest.mark.parametrize('config', ASL_CONFIGS)
def test_frozen_localizer_matches_the_config_that_trained_it(config: str) -> None:
    """Same architecture and the same map blur as in training, else the maps differ."""
    localizer = Config.fromfile(str(REPO / config)).model.localizer
    trained = Config.fromfile(str(REPO / localizer['config'])).model
    for key in ('embed_dim', 'tau', 'width_mult', 'visual_last_stride', 'input_size'):
        assert localizer[key] == trained[key], (config, key)
    assert localizer.get('map_sigma', 0.0) == trained.get('map_sigma', 0.0), config


def test_pretrain_tool_ships_the_last_or_the_val_chosen_checkpoint(tmp_path: Path) -> None:
    tool = load_tool('tools/pretrain/synthav_pretrain.py')
    assert tool.LOCALIZERS['localizer'].checkpoint == 'last'
    assert tool.LOCALIZERS['localizer_long'].checkpoint == 'best'
    assert set(tool.LOCALIZERS) <= set(tool.FILES)
    (tmp_path / 'iter_1200.pth').write_bytes(b'')
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'iter_1200.pth'))
    assert tool.chosen_checkpoint(tmp_path, 'last') == tmp_path / 'iter_1200.pth'
    with pytest.raises(FileNotFoundError, match=r'exactly one best_\*\.pth.*found \[\]'):
        tool.chosen_checkpoint(tmp_path, 'best')
    (tmp_path / 'best_cIoU@0.5_iter_800.pth').write_bytes(b'')
    assert tool.chosen_checkpoint(tmp_path, 'best').name == 'best_cIoU@0.5_iter_800.pth'
    (tmp_path / 'best_cIoU@0.5_iter_400.pth').write_bytes(b'')
    with pytest.raises(FileNotFoundError, match=str(tmp_path)):
        tool.chosen_checkpoint(tmp_path, 'best')


def test_pretrain_tool_refuses_a_data_folder_generated_with_other_arguments(
    tiny_synthav: Path, tmp_path: Path
) -> None:
    tool = load_tool('tools/pretrain/synthav_pretrain.py')
    # the session's tiny set holds 4 classes from offset 0, not the pretraining set's 20 from 10
    with pytest.raises(ValueError, match=r'other arguments.*class_offset'):
        tool.main(['--data', str(tiny_synthav), '--out', str(tmp_path), '--only', 'video'])


@pytest.mark.parametrize(
    'config',
    sorted(
        str(p.relative_to(REPO))
        for p in (REPO / 'configs' / 'ablations').glob('*_srcpulse_clipstart.py')
    ),
)
def test_clip_start_loads_every_backbone_tensor_through_the_pretrained_path(config: str) -> None:
    # an mmaction2 TimeSformer recognizer file (backbone.*, cls_head.*), as a Kinetics
    # checkpoint: the backbone reads it as it is, temporal parts included, and drops the head
    name = 'video_clips_srcpulse'
    backbone_cfg = _network(config)['backbone']
    assert backbone_cfg['pretrained'] == 'checkpoints/synthav_pretrained/' + FILES[name].name
    backbone = MODELS.build(dict(backbone_cfg, pretrained=str(FILES[name])))
    report = backbone.load_pretrained(str(FILES[name]))
    assert not report.missing
    state = torch.load(FILES[name], weights_only=True)
    ours = backbone.state_dict()
    assert {f'backbone.{k}' for k in ours} == {k for k in state if k.startswith('backbone.')}
    for key, value in ours.items():
        assert torch.equal(value, state[f'backbone.{key}']), key
    # it has learned time: the temporal projections left the zeros they start from
    assert ours['transformer_layers.layers.0.attentions.0.temporal_fc.weight'].abs().sum() > 0
    assert ours['time_embed'].abs().sum() > 0


SYNCPOOL_CONFIGS = sorted(
    str(p.relative_to(REPO)) for p in (REPO / 'configs' / 'ablations').glob('*_syncpool.py')
)


def test_every_audio_visual_1shot_grid_row_has_a_syncpool_twin() -> None:
    assert len(SYNCPOOL_CONFIGS) == 5
    for config in SYNCPOOL_CONFIGS:
        twin = Config.fromfile(str(REPO / config.replace('_syncpool', '')))
        ours = Config.fromfile(str(REPO / config))
        # identical but for the neck and the backbones' token output
        for cfg in (twin, ours):
            network = cfg.model.network
            network.pop('neck')
            network.backbone.pop('output', None)
            network.audio_backbone.pop('output', None)
        assert ours.to_dict() == twin.to_dict(), config


@pytest.mark.parametrize('config', SYNCPOOL_CONFIGS)
def test_sync_head_loads_strictly_through_the_syncpool_neck(config: str) -> None:
    from avssl.models.necks import centred_window_slots

    neck_cfg = _network(config)['neck']
    name = 'av_sync_head'
    assert neck_cfg['sync_checkpoint'] == 'checkpoints/synthav_pretrained/' + FILES[name].name
    # the slots written in the config are those of the configs' frame sampling
    cfg = Config.fromfile(str(REPO / config))
    sampler = next(t for t in cfg.val_dataloader.dataset.pipeline if t['type'] == 'SampleFrames')
    fps = 25  # SynthAV's frame rate (tools/data/synthav/generate.py)
    assert neck_cfg['slots'] == centred_window_slots(
        sampler['clip_len'], sampler['frame_interval'], fps
    )
    neck = MODELS.build(dict(neck_cfg, sync_checkpoint=str(FILES[name])))
    neck.init_weights()
    state = torch.load(FILES[name], weights_only=True)
    assert set(state) == set(neck.sync.state_dict())
    for key, value in neck.sync.state_dict().items():
        assert torch.equal(value, state[key]), key
    assert 0.5 < MANIFEST['files'][name]['val']['top1'] <= 1.0


SRCPOOL_CONFIGS = sorted(
    str(p.relative_to(REPO)) for p in (REPO / 'configs' / 'ablations').glob('*_srcpool.py')
)


def _pipelines(cfg: Config) -> dict[str, list]:
    train = cfg.train_dataloader.dataset
    unlabeled = train.unlabeled.pipeline[0]
    return {
        'labeled': train.labeled.pipeline[0]['labeled'],
        'weak': unlabeled['weak'],
        'strong': unlabeled['strong'],
        'val': cfg.val_dataloader.dataset.pipeline,
        'test': cfg.test_dataloader.dataset.pipeline,
    }


def test_every_audio_visual_1shot_grid_row_has_a_srcpool_twin() -> None:
    assert len(SRCPOOL_CONFIGS) == 5
    for config in SRCPOOL_CONFIGS:
        twin = Config.fromfile(str(REPO / config.replace('_srcpool', '')))
        ours = Config.fromfile(str(REPO / config))
        assert ours.model.network.neck.type == 'SourcePoolFusion'
        # the long-schedule localizer, trained on its own clips, feeds the fusion
        assert ours.model.localizer.checkpoint == str(FILES['localizer_long'].relative_to(REPO))
        assert ours.model.localizer.map_sigma == 1.0
        # every pipeline loads the localizer's audio once, right after the loading steps
        for name, steps in _pipelines(ours).items():
            types = [t['type'] for t in steps]
            assert types.count('LoadLocalizerAudio') == 1, (config, name)
            assert types.index('LoadLocalizerAudio') == types.index('LoadAudioWindow') + 1
        # identical but for the neck, the token outputs, the localizer and that one step
        for cfg in (twin, ours):
            network = cfg.model.network
            network.pop('neck')
            network.backbone.pop('output', None)
            network.audio_backbone.pop('output', None)
            cfg.model.pop('localizer', None)
            for steps in _pipelines(cfg).values():
                steps[:] = [t for t in steps if t['type'] != 'LoadLocalizerAudio']
        # (the twin's own helper variables, _loc, _weak, ..., are not settings)
        settings = [
            {k: v for k, v in cfg.to_dict().items() if not k.startswith('_')}
            for cfg in (ours, twin)
        ]
        assert settings[0] == settings[1], config


FROZENENC_CONFIGS = sorted(
    str(p.relative_to(REPO)) for p in (REPO / 'configs' / 'ablations').glob('*_frozenenc.py')
)


@pytest.mark.parametrize('name', FROZENENC_CONFIGS)
def test_the_frozen_encoder_twins_freeze_both_encoders_only(name: str) -> None:
    from mmengine.optim import build_optim_wrapper

    cfg = Config.fromfile(str(REPO / name))
    model = MODELS.build(cfg.model)
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    names = {id(p): n for n, p in model.named_parameters()}
    lrs: dict[str, float] = {}
    for group in wrapper.optimizer.param_groups:
        for param in group['params']:
            lrs[names[id(param)]] = group['lr']
    encoders = [n for n in lrs if n.startswith(('student.backbone.', 'student.audio_backbone.'))]
    assert encoders and all(lrs[n] == 0.0 for n in encoders)  # class tokens and embeddings too
    others = [n for n in lrs if n not in encoders]
    assert any(n.startswith('student.neck.source_proj') for n in others)
    assert all(lrs[n] > 0 for n in others)
    # identical to its source-pooling twin but for the two optimizer keys
    twin = Config.fromfile(str(REPO / name.replace('_frozenenc', '')))
    keys = cfg.optim_wrapper.paramwise_cfg.custom_keys
    for key in ('student.backbone', 'student.audio_backbone'):
        assert keys.pop(key) == dict(lr_mult=0.0, decay_mult=0.0)
    settings = [
        {k: v for k, v in c.to_dict().items() if not k.startswith('_')} for c in (cfg, twin)
    ]
    assert settings[0] == settings[1], name


#: The rows brought into the chosen imprint setting after the val rule (V+A+Tube, V+A+ASL and the
#: one-modality rows) have no frozen-encoder twin; tests/test_protocol.py checks them against the
#: method's config and their own *_it800 configs instead. Nor do the 5-shot rows of the setting,
#: which tests/test_protocol.py checks against their 1-shot twins.
ROWS_ADDED_AFTER_THE_CHOICE = (
    '_tube_auxsum_mdrop_it800',
    '_asl_auxsum_mdrop_it800',
    '_1shot_v_it800',
    '_1shot_a_it800',
    'svformer_',
    '_5shot',
)
IMPRINT_CONFIGS = sorted(
    str(p.relative_to(REPO))
    for p in (REPO / 'configs' / 'ablations').glob('*_it800_imprint*.py')
    if not any(row in p.name for row in ROWS_ADDED_AFTER_THE_CHOICE)
)


@pytest.mark.parametrize('name', IMPRINT_CONFIGS)
def test_the_imprint_configs_change_the_classifier_and_the_freeze_only(name: str) -> None:
    """Each imprint config is its frozen-encoder twin with the cosine head read from the
    normalised source features, imprinted at the start, and the encoders frozen for real (and,
    in the gate-less ones, no pseudo-label gate; ``_lr01``: the head at a tenth of the rate;
    ``_ft``: the encoders fine-tuned)."""
    cfg = Config.fromfile(str(REPO / name))
    gated = '_gate_' in name or name.startswith('configs/ablations/labeled_')
    variant = name.split('_it800_imprint')[1][: -len('.py')]
    assert variant in ('', '_lr01', '_ft'), name
    twin_name = name.replace('_it800_imprint' + variant, '_it800_srcpool_frozenenc')
    if not gated:
        twin_name = twin_name.replace('_auxsum_mdrop_it800', '_auxsum_mdrop_gate_it800')
    twin = Config.fromfile(str(REPO / twin_name))
    network = cfg.model.network
    assert network.neck.type == 'SourceConcatFusion' and network.cls_head.type == 'CosineHead'
    assert network.cls_head.in_channels == network.neck.video_dims + network.neck.audio_dims
    if variant == '_ft':
        assert 'frozen_modules' not in network
    else:
        assert tuple(network.frozen_modules) == ('backbone', 'audio_backbone')
    assert network.aux_head.fuse_weight == 0.0
    hooks = [h['type'] for h in cfg.custom_hooks]
    assert hooks.index('PrototypeImprintHook') < hooks.index('EMATeacherHook')
    model = MODELS.build(cfg.model)
    encoders = [
        p
        for n, p in model.named_parameters()
        if n.startswith(('student.backbone.', 'student.audio_backbone.'))
    ]
    assert encoders and all(p.requires_grad == (variant == '_ft') for p in encoders)
    assert model.student.cls_head.weight.requires_grad
    ours, theirs = (
        {k: v for k, v in c.to_dict().items() if not k.startswith('_')} for c in (cfg, twin)
    )
    for settings in (ours, theirs):
        for key in ('neck', 'cls_head', 'frozen_modules', 'aux_head'):
            settings['model']['network'].pop(key, None)
        settings.pop('custom_hooks')
        settings.pop('optim_wrapper')
        if not gated:
            settings['model'].pop('pseudo_label_gate_cfg', None)
    assert ours == theirs, name
    keys = dict(cfg.optim_wrapper.paramwise_cfg.custom_keys)
    if variant == '_lr01':
        assert keys.pop('student.cls_head') == dict(lr_mult=0.1)
    assert keys == {
        k: v
        for k, v in twin.optim_wrapper.paramwise_cfg.custom_keys.items()
        if not k.startswith('student.')
    }
