"""The tiny SynthAV grid is one protocol: rows differ only in what differs between methods.

docs/reproduction.md promises: every row of Table 2 on SynthAV uses the same pretrained start,
optimiser, schedule, iterations and labeled clips per batch, and reports the EMA teacher; the
labeled-only rows are their semi-supervised twins without unlabeled clips.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mmengine.config import Config

REPO = Path(__file__).resolve().parents[1]
SEMI_ROWS = [
    'svformer_tiny_synthav_1shot_fix',
    'svformer_tiny_synthav_1shot_flex',
    'avssl_tiny_synthav_1shot_tube',
    'avssl_tiny_synthav_1shot_tube_contrast',
    'avssl_tiny_synthav_1shot_asl',
    'avssl_tiny_synthav_1shot',
]
LABELED_ONLY = {
    'labeled_tiny_synthav_1shot_v': 'svformer_tiny_synthav_1shot_flex',
    'labeled_tiny_synthav_1shot_av': 'avssl_tiny_synthav_1shot_tube',
    'labeled_tiny_synthav_5shot_av': 'avssl_tiny_synthav_1shot_tube',
    'labeled_tiny_synthav_5shot_v': 'svformer_tiny_synthav_1shot_flex',
}
SHARED = (
    'optim_wrapper',
    'param_scheduler',
    'train_cfg',
    'custom_hooks',
    'val_dataloader',
    'test_dataloader',
    'randomness',
)
SHARED_MODEL = (
    'unsup_start_iter',
    'unsup_warmup_iters',
    'gamma1',
    'gamma2',
    'eval_model',
    'temporal_warp_cfg',
    'mix_loss',
)


def load(name: str) -> dict[str, Any]:
    return Config.fromfile(str(REPO / 'configs' / f'{name}.py')).to_dict()


def diff(a: Any, b: Any, path: str = '') -> list[str]:
    """Dotted paths where two config trees differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b), key=str):
            out += diff(a.get(key), b.get(key), f'{path}.{key}' if path else str(key))
        return out
    return [] if a == b else [path]


def value_at(config: dict[str, Any], key: str) -> Any:
    """The value at a dotted config path such as ``model.mix_cfg.alpha``."""
    node: Any = config
    for part in key.split('.'):
        node = node[part]
    return node


@pytest.mark.parametrize('row', SEMI_ROWS[1:])
def test_semi_rows_share_recipe_schedule_and_batches(row: str) -> None:
    base, cfg = load(SEMI_ROWS[0]), load(row)
    for key in SHARED + ('train_dataloader',):
        assert cfg[key] == base[key], key
    for key in SHARED_MODEL:
        assert cfg['model'][key] == base['model'][key], key
    assert cfg['model']['eval_model'] == 'teacher'
    assert cfg['train_dataloader']['sampler']['source_ratio'] == [1, 5]
    video = cfg['model']['network']['backbone']
    assert video['pretrained'] == base['model']['network']['backbone']['pretrained']


@pytest.mark.parametrize('row,twin', sorted(LABELED_ONLY.items()))
def test_labeled_only_rows_are_their_twin_without_unlabeled_clips(row: str, twin: str) -> None:
    differing = diff(load(row), load(twin))
    allowed = {
        'train_dataloader.batch_size',
        'train_dataloader.sampler.batch_size',
        'train_dataloader.sampler.source_ratio',
    }
    if '5shot' in row:
        allowed.add('train_dataloader.dataset.labeled.ann_file')
    assert set(differing) <= allowed, set(differing) - allowed
    cfg = load(row)
    # the same 2 labeled clips per batch as the semi rows, no unlabeled ones
    assert cfg['train_dataloader']['batch_size'] == 2
    assert cfg['train_dataloader']['sampler']['source_ratio'] == [1, 0]
    assert cfg['model']['eval_model'] == 'teacher'


def test_five_shot_rows_differ_from_one_shot_only_in_the_lists() -> None:
    pairs = [
        ('svformer_tiny_synthav_5shot_flex', 'svformer_tiny_synthav_1shot_flex'),
        ('avssl_tiny_synthav_5shot_tube_contrast', 'avssl_tiny_synthav_1shot_tube_contrast'),
        ('avssl_tiny_synthav_5shot', 'avssl_tiny_synthav_1shot'),
    ]
    for five, one in pairs:
        # the lists, and the labeled-only warm-up and the unlabeled weights chosen on 5-shot
        # val for every 5-shot row
        assert set(diff(load(five), load(one))) == {
            'train_dataloader.dataset.labeled.ann_file',
            'train_dataloader.dataset.unlabeled.ann_file',
            'model.unsup_start_iter',
            'model.gamma1',
            'model.gamma2',
        }
        assert load(five)['model']['unsup_start_iter'] == 200
        assert load(one)['model']['unsup_start_iter'] == 50
        assert (load(five)['model']['gamma1'], load(five)['model']['gamma2']) == (0.5, 0.5)
        assert (load(one)['model']['gamma1'], load(one)['model']['gamma2']) == (2.0, 2.0)
    assert (
        load('avssl_tiny_synthav_5shot')['train_dataloader']['dataset']['labeled']['ann_file']
        == 'train_labeled_5shot.txt'
    )


@pytest.mark.parametrize(
    'variant,row',
    [
        ('ablations/svformer_tiny_synthav_5shot_fixed0_7', 'svformer_tiny_synthav_5shot_flex'),
        (
            'ablations/avssl_tiny_synthav_5shot_tube_contrast_fixed0_7',
            'avssl_tiny_synthav_5shot_tube_contrast',
        ),
        ('ablations/avssl_tiny_synthav_5shot_fixed0_7', 'avssl_tiny_synthav_5shot'),
    ],
)
def test_the_fixed_threshold_variant_changes_only_the_threshold(variant: str, row: str) -> None:
    # written on the 1-shot config (two levels of bases at most), so it restates the 5-shot
    # settings: they must stay the 5-shot row's
    assert set(diff(load(variant), load(row))) <= {
        'model.threshold_cfg.type',
        'model.threshold_cfg.tau',
    }
    assert load(variant)['model']['threshold_cfg'] == {'type': 'FixedThreshold', 'tau': 0.7}


@pytest.mark.parametrize(
    'variant,row',
    [
        ('ablations/svformer_tiny_synthav_1shot_oracle', 'svformer_tiny_synthav_1shot_flex'),
        (
            'ablations/svformer_tiny_synthav_1shot_oracle_srcpulse_clipstart',
            'ablations/svformer_tiny_synthav_1shot_flex_srcpulse_clipstart',
        ),
        (
            'ablations/svformer_tiny_synthav_5shot_oracle_srcpulse_clipstart',
            'ablations/svformer_tiny_synthav_5shot_flex_srcpulse_clipstart',
        ),
        ('ablations/svformer_tiny_synthav_5shot_oracle', 'svformer_tiny_synthav_5shot_flex'),
        ('ablations/avssl_tiny_synthav_5shot_oracle', 'avssl_tiny_synthav_5shot'),
        (
            'ablations/avssl_tiny_synthav_5shot_tube_contrast_oracle',
            'avssl_tiny_synthav_5shot_tube_contrast',
        ),
        (
            'ablations/avssl_tiny_synthav_5shot_auxsum_w2_loclong_oracle',
            'ablations/avssl_tiny_synthav_5shot_auxsum_w2_loclong',
        ),
    ],
)
def test_the_oracle_variant_changes_only_the_pseudo_label_source(variant: str, row: str) -> None:
    assert set(diff(load(variant), load(row))) == {'model.pseudo_labels'}
    assert load(variant)['model']['pseudo_labels'] == 'oracle'


def test_the_fixed_threshold_tube_row_is_its_plus_c_row_without_the_contrastive_loss() -> None:
    tube = load('ablations/avssl_tiny_synthav_5shot_tube_fixed0_7')
    plus_c = load('ablations/avssl_tiny_synthav_5shot_tube_contrast_fixed0_7')
    assert set(diff(tube, plus_c)) == {'model.contrast_cfg', 'model.gamma3'}
    assert tube['model'].get('contrast_cfg') is None


@pytest.mark.parametrize(
    'variant,row',
    [
        ('ablations/labeled_tiny_synthav_5shot_av_auxsum', 'labeled_tiny_synthav_5shot_av'),
        ('ablations/avssl_tiny_synthav_5shot_auxsum', 'avssl_tiny_synthav_5shot'),
        (
            'ablations/avssl_tiny_synthav_5shot_tube_contrast_auxsum',
            'avssl_tiny_synthav_5shot_tube_contrast',
        ),
    ],
)
def test_the_5shot_auxsum_variant_adds_only_the_late_fusion_heads(variant: str, row: str) -> None:
    # written on the 1-shot config, so it restates the 5-shot settings: they must stay the row's
    assert set(diff(load(variant), load(row))) == {'model.network.aux_head'}
    one_shot = load('ablations/avssl_tiny_synthav_1shot_auxsum')['model']['network']['aux_head']
    assert load(variant)['model']['network']['aux_head'] == one_shot
    assert one_shot['fuse_weight'] == 1.0


@pytest.mark.parametrize(
    'without_c,with_c',
    [
        (
            'ablations/avssl_tiny_synthav_5shot_tube_auxsum',
            'ablations/avssl_tiny_synthav_5shot_tube_contrast_auxsum',
        ),
        (
            'ablations/avssl_tiny_synthav_5shot_asl_auxsum',
            'ablations/avssl_tiny_synthav_5shot_auxsum',
        ),
    ],
)
def test_the_5shot_auxsum_rows_without_c_drop_only_the_contrastive_loss(
    without_c: str, with_c: str
) -> None:
    assert set(diff(load(without_c), load(with_c))) == {'model.contrast_cfg', 'model.gamma3'}
    assert load(without_c)['model'].get('contrast_cfg') is None


@pytest.mark.parametrize(
    'variant,key,value',
    [
        ('avssl_tiny_synthav_5shot_auxsum_w2_avg2', 'model.mix_cfg.average_frames', 2),
        ('avssl_tiny_synthav_5shot_auxsum_w2_avg4', 'model.mix_cfg.average_frames', 4),
        ('avssl_tiny_synthav_5shot_auxsum_w2_avg8', 'model.mix_cfg.average_frames', 8),
    ],
)
def test_the_5shot_auxsum_k_sweep_points_change_only_the_averaged_frames(
    variant: str, key: str, value: int
) -> None:
    # written on the 1-shot config, so they restate the 5-shot settings and the heads: those
    # must stay the 5-shot +auxsum weight-2 row's, and the swept value must be the one the name says
    point = load(f'ablations/{variant}')
    assert diff(point, load('ablations/avssl_tiny_synthav_5shot_auxsum_w2')) == [key]
    assert value_at(point, key) == value


@pytest.mark.parametrize(
    'row',
    [
        'avssl_tiny_synthav_5shot_auxsum',
        'avssl_tiny_synthav_5shot_tube_contrast_auxsum',
        'avssl_tiny_synthav_5shot_tube_auxsum',
        'avssl_tiny_synthav_5shot_asl_auxsum',
    ],
)
def test_the_5shot_auxsum_weight_2_rows_change_only_the_unlabeled_weights(row: str) -> None:
    # the weight chosen again on val with the heads: every 5-shot +auxsum row gets it, and
    # nothing else moves (the lists, warm-up and heads are restated, so they are checked)
    variant = load(f'ablations/{row}_w2')
    assert set(diff(variant, load(f'ablations/{row}'))) == {'model.gamma1', 'model.gamma2'}
    assert variant['model']['gamma1'] == variant['model']['gamma2'] == 2.0


@pytest.mark.parametrize(
    'row', ['avssl_tiny_synthav_5shot_auxsum', 'avssl_tiny_synthav_5shot_tube_contrast_auxsum']
)
def test_the_5shot_auxsum_weight_4_rows_change_only_the_unlabeled_weights(row: str) -> None:
    variant = load(f'ablations/{row}_w4')
    assert diff(variant, load(f'ablations/{row}_w2')) == ['model.gamma1', 'model.gamma2']
    assert variant['model']['gamma1'] == variant['model']['gamma2'] == 4.0


# what the *_scratch twins change: randomly initialised encoders instead of the pretrained ones
SCRATCH = {
    'model.network.backbone.pretrained': None,
    'model.network.audio_backbone.pretrained': None,
}

# what the *_vpres configs change: the presence-pretrained video start (chosen on 5-shot val)
PRESENCE_START = {
    'model.network.backbone.pretrained': (
        'checkpoints/synthav_pretrained/vit_tiny_p16_112_synthav20_presence.pth'
    ),
}

# what the *_vw0_5 configs change: the video classifier at half weight in the late-fusion sum
HALF_VIDEO = {'model.network.aux_head.modality_weights': {'video': 0.5}}

# what the *_loclong configs change: the long-schedule FNAC and its one-cell map blur
LONG_LOCALIZER = {
    'model.localizer.checkpoint': 'checkpoints/synthav_pretrained/fnac_r18_w025_synthav.pth',
    'model.localizer.config': 'configs/fnac_r18_synthav.py',
    'model.localizer.map_sigma': 1.0,
}


@pytest.mark.parametrize(
    'variant,row,changed',
    [
        (
            'avssl_tiny_synthav_5shot_auxsum_w2_loclong',
            'avssl_tiny_synthav_5shot_auxsum_w2',
            LONG_LOCALIZER,
        ),
        (
            'avssl_tiny_synthav_5shot_asl_auxsum_w2_loclong',
            'avssl_tiny_synthav_5shot_asl_auxsum_w2',
            LONG_LOCALIZER,
        ),
        (
            'avssl_tiny_synthav_5shot_auxsum_w2_flatmap',
            'avssl_tiny_synthav_5shot_auxsum_w2',
            {'model.mix_cfg.floor': 1e6},
        ),
        (
            'avssl_tiny_synthav_5shot_auxsum_w2_lam10_10',
            'avssl_tiny_synthav_5shot_auxsum_w2',
            {'model.mix_cfg.alpha': 10.0, 'model.mix_cfg.beta': 10.0},
        ),
        (
            'avssl_tiny_synthav_5shot_tube_contrast_auxsum_w2_lam5_10',
            'avssl_tiny_synthav_5shot_tube_contrast_auxsum_w2',
            {'model.mix_cfg.alpha': 5.0, 'model.mix_cfg.beta': 10.0},
        ),
        (
            'avssl_tiny_synthav_5shot_auxsum_w2_scratch',
            'avssl_tiny_synthav_5shot_auxsum_w2',
            SCRATCH,
        ),
        (
            'avssl_tiny_synthav_5shot_tube_contrast_auxsum_w2_scratch',
            'avssl_tiny_synthav_5shot_tube_contrast_auxsum_w2',
            SCRATCH,
        ),
        (
            'labeled_tiny_synthav_5shot_av_auxsum_scratch',
            'labeled_tiny_synthav_5shot_av_auxsum',
            SCRATCH,
        ),
        (
            'avssl_tiny_synthav_5shot_auxsum_w2_vpres',
            'avssl_tiny_synthav_5shot_auxsum_w2',
            PRESENCE_START,
        ),
        (
            'avssl_tiny_synthav_5shot_tube_contrast_auxsum_w2_vpres',
            'avssl_tiny_synthav_5shot_tube_contrast_auxsum_w2',
            PRESENCE_START,
        ),
        (
            'labeled_tiny_synthav_5shot_av_auxsum_vpres',
            'labeled_tiny_synthav_5shot_av_auxsum',
            PRESENCE_START,
        ),
        (
            'avssl_tiny_synthav_5shot_auxsum_w2_loclong_vw0_5',
            'avssl_tiny_synthav_5shot_auxsum_w2_loclong',
            HALF_VIDEO,
        ),
        (
            'labeled_tiny_synthav_5shot_av_auxsum_vw0_5',
            'labeled_tiny_synthav_5shot_av_auxsum',
            HALF_VIDEO,
        ),
        (
            'avssl_tiny_synthav_5shot_tube_contrast_auxsum_w2_vw0_5',
            'avssl_tiny_synthav_5shot_tube_contrast_auxsum_w2',
            HALF_VIDEO,
        ),
    ]
    + [
        (
            f'avssl_tiny_synthav_5shot_auxsum_w2_nowarm_tau{tau}',
            'avssl_tiny_synthav_5shot_auxsum_w2',
            {
                'model.threshold_cfg.tau': float(tau.replace('_', '.')),
                'model.threshold_cfg.warmup': False,
            },
        )
        for tau in ('0_3', '0_5', '0_7', '0_9')
    ],
)
def test_the_5shot_weight_2_variants_change_only_what_they_name(
    variant: str, row: str, changed: dict[str, Any]
) -> None:
    # the long-schedule localizer rows, the mask diagnostics, the from-scratch twins and the
    # no-warm-up tau sweep at 5 shots: written on the 1-shot configs, so the restated 5-shot
    # lists, warm-up, weights and heads must stay the row's
    config = load(f'ablations/{variant}')
    assert set(diff(config, load(f'ablations/{row}'))) == set(changed)
    for key, value in changed.items():
        assert value_at(config, key) == value


@pytest.mark.parametrize(
    'row',
    [
        'labeled_tiny_synthav_1shot_av_auxsum',
        'avssl_tiny_synthav_1shot_tube_contrast_auxsum',
        'avssl_tiny_synthav_1shot_auxsum',
        'avssl_tiny_synthav_1shot_tube_auxsum',
        'avssl_tiny_synthav_1shot_asl_auxsum',
    ],
)
def test_the_1shot_modality_dropout_rows_change_only_the_dropout(row: str) -> None:
    # chosen on val for every 1-shot audio-visual row with the heads; the heads are restated
    config = load(f'ablations/{row}_mdrop')
    assert diff(config, load(f'ablations/{row}')) == ['model.network.modality_dropout']
    assert value_at(config, 'model.network.modality_dropout') == 0.5


# Fig. 4's points: FlexMatch at another base tau, or SVFormer's fixed threshold in its place
FIG4_POINTS = [
    (f'tau{tau}'.replace('.', '_'), {'model.threshold_cfg.tau': tau}) for tau in (0.5, 0.7, 0.95)
] + [
    (
        f'fixed{tau}'.replace('.', '_'),
        {'model.threshold_cfg.type': 'FixedThreshold', 'model.threshold_cfg.tau': tau},
    )
    for tau in (0.3, 0.5, 0.7, 0.95)
]


def assert_changes_only(
    point: dict[str, Any], row: dict[str, Any], changed: dict[str, Any]
) -> None:
    """``point`` differs from ``row`` in exactly the keys of ``changed``, set to its values."""
    assert set(diff(point, row)) == set(changed)
    for key, value in changed.items():
        assert value_at(point, key) == value


@pytest.mark.parametrize(
    ('variant', 'changed'),
    [('tau0_1', {'model.threshold_cfg.tau': 0.1})]
    + FIG4_POINTS
    + [(f'avg{k}', {'model.mix_cfg.average_frames': k}) for k in (2, 4, 8)],
)
def test_the_1shot_modality_dropout_sweep_points_change_only_what_they_name(
    variant: str, changed: dict[str, Any]
) -> None:
    # Fig. 4 (FlexMatch and fixed-threshold curves) and Fig. 5 on the 1-shot protocol with the
    # heads and dropout: written on the 1-shot config, so the heads and the dropout are restated
    # and must stay the method's
    row = load('ablations/avssl_tiny_synthav_1shot_auxsum_mdrop')
    point = load(f'ablations/avssl_tiny_synthav_1shot_auxsum_mdrop_{variant}')
    assert_changes_only(point, row, changed)
    # the threshold classes' default tau is 0.3, so a config that does not set it runs at 0.3
    tau = point['model']['threshold_cfg'].get('tau', 0.3)
    assert tau == changed.get('model.threshold_cfg.tau', 0.3)


@pytest.mark.parametrize(('variant', 'changed'), FIG4_POINTS)
def test_the_5shot_fig4_points_change_only_the_threshold(
    variant: str, changed: dict[str, Any]
) -> None:
    # Fig. 4 at 5 shots as the paper draws it (FlexMatch beside a fixed threshold) on the method
    # with the heads at weight 2: written on the 1-shot config, so the 5-shot lists, warm-up,
    # weights and heads are restated and must stay the method's
    row = load('ablations/avssl_tiny_synthav_5shot_auxsum_w2')
    point = load(f'ablations/avssl_tiny_synthav_5shot_auxsum_w2_{variant}')
    assert_changes_only(point, row, changed)


@pytest.mark.parametrize('shots', [2, 3])
@pytest.mark.parametrize(
    'row',
    [
        'labeled_tiny_synthav_{k}shot_av_auxsum',
        'avssl_tiny_synthav_{k}shot_tube_contrast_auxsum_w2',
        'avssl_tiny_synthav_{k}shot_auxsum_w2_loclong',
    ],
)
def test_the_label_budget_rows_change_only_the_lists(row: str, shots: int) -> None:
    # the label-budget curve runs the 5-shot recipe unchanged on the 2- and 3-shot lists
    point = load(f'ablations/{row.format(k=shots)}')
    five = load(f'ablations/{row.format(k=5)}')
    changed = {'train_dataloader.dataset.labeled.ann_file': f'train_labeled_{shots}shot.txt'}
    # labeled-only rows draw no unlabeled clip (source ratio 1:0), so their 5-shot config keeps
    # the base's unlabeled list and so do theirs
    if five['train_dataloader']['dataset']['unlabeled']['ann_file'] == 'train_unlabeled_5shot.txt':
        changed['train_dataloader.dataset.unlabeled.ann_file'] = f'train_unlabeled_{shots}shot.txt'
    assert_changes_only(point, five, changed)


@pytest.mark.parametrize(
    'row,five,one',
    [
        (
            'avssl_tiny_synthav_1shot_auxsum_loclong_start200',
            'avssl_tiny_synthav_5shot_auxsum_w2_loclong',
            'avssl_tiny_synthav_1shot_auxsum_loclong',
        ),
        (
            'avssl_tiny_synthav_1shot_tube_contrast_auxsum_start200',
            'avssl_tiny_synthav_5shot_tube_contrast_auxsum_w2',
            'avssl_tiny_synthav_1shot_tube_contrast_auxsum',
        ),
    ],
)
def test_the_1shot_label_budget_rows_are_the_5shot_recipe_on_the_1shot_lists(
    row: str, five: str, one: str
) -> None:
    point = load(f'ablations/{row}')
    assert_changes_only(
        point,
        load(f'ablations/{five}'),
        {
            'train_dataloader.dataset.labeled.ann_file': 'train_labeled_1shot.txt',
            'train_dataloader.dataset.unlabeled.ann_file': 'train_unlabeled_1shot.txt',
        },
    )
    # and the 1-shot row with the heads, but for the warm-up
    assert_changes_only(point, load(f'ablations/{one}'), {'model.unsup_start_iter': 200})


@pytest.mark.parametrize(
    'row',
    [
        'avssl_tiny_synthav_1shot_auxsum_mdrop',
        'avssl_tiny_synthav_1shot_tube_contrast_auxsum_mdrop',
        'avssl_tiny_synthav_5shot_auxsum_w2_loclong',
        'avssl_tiny_synthav_5shot_tube_contrast_auxsum_w2',
    ],
)
def test_the_distribution_alignment_variants_add_only_the_alignment(row: str) -> None:
    assert_changes_only(
        load(f'ablations/{row}_da'),
        load(f'ablations/{row}'),
        {'model.dist_align_cfg': {'type': 'DistributionAlignment', 'momentum': 0.99}},
    )


@pytest.mark.parametrize(
    'row',
    [
        'avssl_tiny_synthav_1shot_auxsum_mdrop',
        'avssl_tiny_synthav_1shot_tube_contrast_auxsum_mdrop',
        'avssl_tiny_synthav_5shot_auxsum_w2_loclong',
        'avssl_tiny_synthav_5shot_tube_contrast_auxsum_w2',
        'avssl_tiny_synthav_5shot_tube_auxsum_w2',
        'avssl_tiny_synthav_5shot_asl_auxsum_w2_loclong',
        'avssl_tiny_synthav_1shot_tube_auxsum_mdrop',
        'avssl_tiny_synthav_1shot_asl_auxsum_mdrop',
    ],
)
def test_the_audio_gate_variants_add_only_the_gate(row: str) -> None:
    assert_changes_only(
        load(f'ablations/{row}_gate'),
        load(f'ablations/{row}'),
        {'model.pseudo_label_gate_cfg': {'type': 'ModalityGate', 'modality': 'audio'}},
    )


@pytest.mark.parametrize(
    'row',
    [
        'labeled_tiny_synthav_5shot_av_auxsum',
        'avssl_tiny_synthav_5shot_auxsum_w2_loclong_gate',
        'avssl_tiny_synthav_5shot_tube_contrast_auxsum_w2_gate',
    ],
)
def test_the_gated_prediction_variants_add_only_the_prediction_gate(row: str) -> None:
    assert_changes_only(
        load(f'ablations/{row}_pgate'),
        load(f'ablations/{row}'),
        {'model.network.predict_gate_cfg': {'type': 'ModalityGate', 'modality': 'audio'}},
    )


#: SynthAV variants whose frames can name the class: config suffix -> (folder, generator change)
VIDEO_VARIANTS = {
    'srcpulse': ('data/synthav_srcpulse', {'distractor_pulse': False}),
    'solo': ('data/synthav_solo', {'num_distractors': 0}),
}
VIDEO_ROWS = [
    'labeled_tiny_synthav_1shot_v',
    'svformer_tiny_synthav_1shot_flex',
    'labeled_tiny_synthav_5shot_v',
    'svformer_tiny_synthav_5shot_flex',
]


@pytest.mark.parametrize(
    ('row', 'suffix'),
    [(row, suffix) for suffix in VIDEO_VARIANTS for row in VIDEO_ROWS]
    + [('ablations/svformer_tiny_synthav_5shot_oracle', 'srcpulse')]
    + [(row, 'solo') for row in ['labeled_tiny_synthav_1shot_av', *SEMI_ROWS[2:]]],
)
def test_the_data_variants_change_only_the_data_set(row: str, suffix: str) -> None:
    # rows on a SynthAV variant whose frames can name the class (distractors that do not
    # pulse, or none): the same classes, lists, seeds and protocol, another folder generated
    # with one change
    folder, generator = VIDEO_VARIANTS[suffix]
    point = load(f'ablations/{row.removeprefix("ablations/")}_{suffix}')
    base = load(row)
    point.pop('_data')
    datasets = [
        'train_dataloader.dataset.labeled',
        'train_dataloader.dataset.unlabeled',
        'val_dataloader.dataset',
        'test_dataloader.dataset',
    ]
    keys = ('data_root', *(f'generator_cfg.{g}' for g in generator))
    assert set(diff(point, base)) == {f'{d}.{k}' for d in datasets for k in keys}
    for d in datasets:
        dataset = value_at(point, d)
        assert dataset['data_root'] == folder
        assert dataset['generator_cfg'] == {**value_at(base, d)['generator_cfg'], **generator}


@pytest.mark.parametrize('row', VIDEO_ROWS)
def test_the_clip_start_changes_only_the_video_start(row: str) -> None:
    # the source-pulse rows started from the clip TimeSformer (a start that has seen time)
    # instead of the image ViT: the same data and protocol, another backbone file
    point = load(f'ablations/{row}_srcpulse_clipstart')
    twin = load(f'ablations/{row}_srcpulse')
    start = 'checkpoints/synthav_pretrained/timesformer_tiny_p16_112_synthav20_srcpulse.pth'
    assert_changes_only(point, twin, {'model.network.backbone.pretrained': start})


@pytest.mark.parametrize(
    ('point', 'row'),
    [
        ('ablations/svformer_tiny_synthav_1shot_flex_randaug', 'svformer_tiny_synthav_1shot_flex'),
        (
            'ablations/avssl_tiny_synthav_1shot_auxsum_mdrop_gate_randaug',
            'ablations/avssl_tiny_synthav_1shot_auxsum_mdrop_gate',
        ),
        (
            'ablations/avssl_tiny_synthav_1shot_tube_contrast_auxsum_mdrop_gate_randaug',
            'ablations/avssl_tiny_synthav_1shot_tube_contrast_auxsum_mdrop_gate',
        ),
    ],
)
def test_the_randaugment_variants_add_only_randaugment_to_the_strong_view(
    point: str, row: str
) -> None:
    # RandAugment on the unlabeled clips' strong view, a candidate setting of every
    # semi-supervised row: the weak view, the labeled view and everything else stay the row's
    variant, base = load(point), load(row)
    variant.pop('_unlabeled')
    variant.pop('_strong')
    assert diff(variant, base) == ['train_dataloader.dataset.unlabeled.pipeline']
    (new,) = variant['train_dataloader']['dataset']['unlabeled']['pipeline']
    (old,) = base['train_dataloader']['dataset']['unlabeled']['pipeline']
    assert {k: v for k, v in new.items() if k != 'strong'} == {
        k: v for k, v in old.items() if k != 'strong'
    }
    added = [t for t in new['strong'] if t not in old['strong']]
    assert added == [{'type': 'ClipRandAugment', 'num_ops': 2, 'magnitude': 9}]
    at = new['strong'].index(added[0])
    assert new['strong'][:at] + new['strong'][at + 1 :] == old['strong']
    assert new['strong'][at - 1]['type'] == 'Flip'  # after the spatial augmentation
    assert new['strong'][at + 2]['type'] == 'FormatShape'  # before the frames become a tensor


@pytest.mark.parametrize(
    'row',
    [
        'svformer_tiny_synthav_1shot_flex',
        'labeled_tiny_synthav_1shot_v',
        'ablations/labeled_tiny_synthav_1shot_av_auxsum_mdrop',
        'ablations/avssl_tiny_synthav_1shot_auxsum_mdrop_gate',
        'ablations/avssl_tiny_synthav_1shot_tube_contrast_auxsum_mdrop_gate',
        'ablations/avssl_tiny_synthav_1shot_tube_auxsum_mdrop_gate',
        'ablations/avssl_tiny_synthav_1shot_asl_auxsum_mdrop_gate',
        'labeled_tiny_synthav_1shot_a',
        'svformer_tiny_synthav_1shot_fix',
    ],
)
def test_the_800_iteration_rows_change_only_the_schedule_length(row: str) -> None:
    # the 1-shot schedule val chose: twice the iterations, the cosine stretched to the end
    variant = 'ablations/' + row.removeprefix('ablations/') + '_it800'
    assert_changes_only(
        load(variant),
        load(row),
        {
            'train_cfg.max_iters': 800,
            'param_scheduler': [
                {'type': 'LinearLR', 'start_factor': 0.1, 'by_epoch': False, 'begin': 0, 'end': 40},
                {
                    'type': 'CosineAnnealingLR',
                    'by_epoch': False,
                    'begin': 40,
                    'end': 800,
                    'eta_min': 1e-5,
                },
            ],
        },
    )
    base = load(row)['param_scheduler']
    assert base[1]['end'] == 400 and base[0] == load(variant)['param_scheduler'][0]


#: The 1-shot audio-visual semi rows besides the method, in the imprint setting chosen on val
#: (docs/reproduction.md, "The imprinted cosine classifier"). The method's config there is
#: checked against its frozen-encoder twin in tests/pretrain/test_pretrained_checkpoints.py.
IMPRINT_FT_ROWS = [
    'avssl_tiny_synthav_1shot_tube',
    'avssl_tiny_synthav_1shot_tube_contrast',
    'avssl_tiny_synthav_1shot_asl',
]


def value_or_none(config: dict[str, Any], key: str) -> Any:
    """:func:`value_at`, or None where the path does not exist."""
    try:
        return value_at(config, key)
    except (KeyError, TypeError):
        return None


@pytest.mark.parametrize('row', IMPRINT_FT_ROWS)
def test_the_imprint_setting_changes_every_av_row_as_it_changes_the_method(row: str) -> None:
    # "identical across rows except what differs between methods": in the imprint setting a
    # row differs from the method exactly where its modality-dropout config differs from the
    # method's (the mix, the contrastive loss), with the same values; the localizer, which the
    # setting's fusion reads in every row, is the method's
    method = 'avssl_tiny_synthav_1shot'
    setting = '_auxsum_mdrop_it800_imprint_ft'
    ours, theirs = load(f'ablations/{row}{setting}'), load(f'ablations/{method}{setting}')
    row_before = load(f'ablations/{row}_auxsum_mdrop')
    before = diff(row_before, load(f'ablations/{method}_auxsum_mdrop'))
    between_methods = {k for k in before if not k.startswith('model.localizer')}
    assert between_methods, row
    assert set(diff(ours, theirs)) == between_methods
    for key in between_methods:
        assert value_or_none(ours, key) == value_or_none(row_before, key), key
    assert ours['model']['localizer'] == theirs['model']['localizer']


@pytest.mark.parametrize(
    'row',
    [
        'labeled_tiny_synthav_1shot_v',
        'svformer_tiny_synthav_1shot_fix',
        'svformer_tiny_synthav_1shot_flex',
        'labeled_tiny_synthav_1shot_a',
    ],
)
def test_the_imprint_setting_changes_the_one_modality_rows_only_in_the_classifier(
    row: str,
) -> None:
    # the one-modality rows take the setting's classifier (an imprinted cosine head on their
    # one class token); the audio-only row also drops its fusion layer for the parameter-free
    # concatenation, as the audio-visual rows did; nothing else moves
    point, base = load(f'ablations/{row}_it800_imprint_ft'), load(f'ablations/{row}_it800')
    changed: dict[str, Any] = {
        'model.network.cls_head.type': 'CosineHead',
        'model.network.cls_head.scale': 10.0,
        'custom_hooks': [
            {'type': 'RandomStateHook'},
            {'type': 'PrototypeImprintHook'},
            {'type': 'EMATeacherHook', 'decay': 0.99},
            {'type': 'ThresholdHook'},
        ],
    }
    if row.endswith('_a'):
        changed['model.network.neck'] = None
    assert_changes_only(point, base, changed)
    assert value_at(point, 'model.network.cls_head.in_channels') == 96


@pytest.mark.parametrize(
    'row',
    [
        'avssl_tiny_synthav_5shot_auxsum_mdrop_it800_imprint_ft',
        'avssl_tiny_synthav_5shot_tube_contrast_auxsum_mdrop_it800_imprint_ft',
        'labeled_tiny_synthav_5shot_av_auxsum_mdrop_it800_imprint_ft',
        'svformer_tiny_synthav_5shot_flex_it800_imprint_ft',
        'labeled_tiny_synthav_5shot_v_it800_imprint_ft',
    ],
)
def test_the_5shot_imprint_rows_are_their_1shot_twin_on_the_5shot_lists(row: str) -> None:
    # 5-shot val chose the imprinted setting as its val runs ran it: the 1-shot configs with
    # the 5-shot lists, so the test grid's configs change the lists and nothing else (the
    # 1-shot warm-up of 50 and weights of 2 stay; the 5-shot protocol's 200 and 0.5 do not
    # come in)
    five, one = load(f'ablations/{row}'), load(f'ablations/{row.replace("5shot", "1shot")}')
    assert_changes_only(
        five,
        one,
        {
            'train_dataloader.dataset.labeled.ann_file': 'train_labeled_5shot.txt',
            'train_dataloader.dataset.unlabeled.ann_file': 'train_unlabeled_5shot.txt',
        },
    )
    assert value_at(one, 'train_dataloader.dataset.labeled.ann_file') == 'train_labeled_1shot.txt'
    if not row.startswith('labeled_'):
        assert (five['model']['unsup_start_iter'], five['model']['gamma1']) == (50, 2.0)


@pytest.mark.parametrize(
    'row',
    [
        'avssl_tiny_synthav_5shot_auxsum_mdrop_it800_imprint_ft',
        'avssl_tiny_synthav_5shot_tube_contrast_auxsum_mdrop_it800_imprint_ft',
        'svformer_tiny_synthav_5shot_flex_it800_imprint_ft',
    ],
)
def test_the_5shot_imprint_later_lighter_rows_change_only_the_unlabeled_start_and_weights(
    row: str,
) -> None:
    # the candidate 5-shot val chose: the 5-shot protocol's earlier warm-up and weights in the
    # imprinted setting, the same three values in every semi-supervised row
    assert_changes_only(
        load(f'ablations/{row}_w05'),
        load(f'ablations/{row}'),
        {'model.unsup_start_iter': 200, 'model.gamma1': 0.5, 'model.gamma2': 0.5},
    )
