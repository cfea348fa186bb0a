"""avssl.analysis.pseudo_label_quality, split_inputs and tools/analysis/pseudo_label_quality.py."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import torch
from helpers import load_tool, tiny_checkpoint

from avssl.analysis.pseudo_label_quality import (
    expected_calibration_error,
    flexmatch_selection,
    group_errors,
    selective_accuracy,
)
from avssl.analysis.split_inputs import split_dataset_cfg

# Four clips, three classes: confidences 0.9 (right), 0.6 (wrong), 0.5 (right), 0.4 (wrong).
PROBS = torch.tensor([[0.9, 0.05, 0.05], [0.2, 0.6, 0.2], [0.25, 0.25, 0.5], [0.4, 0.3, 0.3]])
LABELS = torch.tensor([0, 0, 2, 1])


def test_selective_accuracy_matches_a_hand_count() -> None:
    rows = selective_accuracy(PROBS, LABELS, [0.0, 0.5, 0.7, 0.95])
    by = {row['threshold']: row for row in rows}
    assert by[0.0]['coverage'] == 1.0 and by[0.0]['accuracy'] == 0.5
    assert math.isnan(by[0.0]['rejected_accuracy'])
    # >= 0.5 keeps 0.9, 0.6 and 0.5: two right of three; the rejected 0.4 is wrong
    assert by[0.5]['kept'] == 3 and by[0.5]['accuracy'] == pytest.approx(2 / 3)
    assert by[0.5]['rejected_accuracy'] == 0.0
    assert by[0.7]['coverage'] == 0.25 and by[0.7]['accuracy'] == 1.0
    assert by[0.7]['rejected_accuracy'] == pytest.approx(1 / 3)
    assert by[0.95]['kept'] == 0 and math.isnan(by[0.95]['accuracy'])
    # predictions 0, 1, 2, 0: all three classes kept at 0 (class 0 half of them); at 0.5
    # classes 0, 1, 2 once each; at 0.7 only class 0; none at 0.95
    assert by[0.0]['classes'] == 3 and by[0.0]['largest_class_share'] == 0.5
    assert by[0.5]['classes'] == 3 and by[0.5]['largest_class_share'] == pytest.approx(1 / 3)
    assert by[0.7]['classes'] == 1 and by[0.7]['largest_class_share'] == 1.0
    assert by[0.95]['classes'] == 0 and math.isnan(by[0.95]['largest_class_share'])


def test_calibration_error_matches_a_hand_count() -> None:
    # 10 bins: 0.9 -> bin 8 (right, gap 0.1), 0.6 -> bin 5 (wrong, 0.6), 0.5 -> bin 4
    # (right, 0.5), 0.4 -> bin 3 (wrong, 0.4): ECE = (0.1 + 0.6 + 0.5 + 0.4) / 4
    assert expected_calibration_error(PROBS, LABELS, 10) == pytest.approx(0.4)
    # one bin: |mean accuracy 0.5 - mean confidence 0.6| = 0.1
    assert expected_calibration_error(PROBS, LABELS, 1) == pytest.approx(0.1)
    perfect = torch.eye(3)
    assert expected_calibration_error(perfect, torch.arange(3)) == pytest.approx(0.0)


def test_flexmatch_selection_matches_a_hand_count() -> None:
    # predictions 0, 1, 2, 0 at 0.9, 0.6, 0.5, 0.4; right, wrong, right, wrong
    by = {row['tau']: row for row in flexmatch_selection(PROBS, LABELS, [0.3, 0.55, 0.95])}
    # tau 0.3 counts all four: sigma = (2, 1, 1), normaliser max(2, 4 - 4) = 2, beta = (1,
    # .5, .5), T = 0.3 * beta / (2 - beta) = (0.3, 0.1, 0.1): everything passes
    assert by[0.3]['counted'] == 1.0
    assert by[0.3]['threshold_mean'] == pytest.approx(0.5 / 3)
    assert by[0.3]['threshold_max'] == pytest.approx(0.3)
    assert by[0.3]['pass_rate'] == 1.0 and by[0.3]['accuracy'] == 0.5
    # tau 0.55 counts 0.9 and 0.6: sigma = (1, 1, 0), the warm-up normaliser 4 - 2 = 2, beta =
    # (.5, .5, 0), T = (0.55 / 3, 0.55 / 3, 0): still everything passes
    assert by[0.55]['counted'] == 0.5
    assert by[0.55]['threshold_mean'] == pytest.approx(2 * 0.55 / 9)
    assert by[0.55]['pass_rate'] == 1.0
    # tau 0.95 counts none: every threshold is 0
    assert by[0.95]['counted'] == 0.0 and by[0.95]['threshold_max'] == 0.0
    assert by[0.95]['pass_rate'] == 1.0
    # without the warm-up the normaliser is max sigma = 1: T = (0.55, 0.55, 0) drops the 0.4
    (plain,) = flexmatch_selection(PROBS, LABELS, [0.55], warmup=False)
    assert plain['pass_rate'] == 0.75 and plain['accuracy'] == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match=r'tau must lie in \[0, 1\]'):
        flexmatch_selection(PROBS, LABELS, [1.5])


def test_group_errors_split_the_mistakes_by_hand() -> None:
    # five classes in groups of two ({0, 1}, {2, 3}, {4}); predictions 0, 1, 2, 0, 4, 3
    probs = torch.eye(5)[torch.tensor([0, 1, 2, 0, 4, 3])]
    labels = torch.tensor([0, 0, 2, 3, 4, 4])
    # right: clips 0, 2, 4; inside a group: clip 1 (1 for 0); across: clip 3 (0 for 3), clip 5
    # (3 for 4, the one-member group)
    out = group_errors(probs, labels, 2)
    assert out['accuracy'] == pytest.approx(3 / 6)
    assert out['within'] == pytest.approx(1 / 6) and out['across'] == pytest.approx(2 / 6)
    assert out['errors'] == pytest.approx(out['within'] + out['across'])
    assert out['group_accuracy'] == pytest.approx(4 / 6)
    assert out['predicted'] == [2, 1, 1, 1, 1]
    assert group_errors(probs, labels, 1)['within'] == 0.0  # one class per group: none inside
    with pytest.raises(ValueError, match='group_size must be >= 1, got 0'):
        group_errors(probs, labels, 0)


def test_bad_input_is_named() -> None:
    with pytest.raises(ValueError, match='labels must be'):
        selective_accuracy(PROBS, LABELS[:3], [0.5])
    with pytest.raises(ValueError, match=r'in \[0, 1\]'):
        selective_accuracy(PROBS, LABELS, [1.5])
    with pytest.raises(ValueError, match='no clips'):
        selective_accuracy(torch.zeros(0, 3), torch.zeros(0, dtype=torch.long), [0.5])
    with pytest.raises(ValueError, match='num_bins'):
        expected_calibration_error(PROBS, LABELS, 0)
    with pytest.raises(ValueError, match=r'labels must lie in \[0, 3\)'):
        selective_accuracy(PROBS, torch.tensor([0, 0, 3, 1]), [0.5])


def test_the_unlabeled_half_is_read_with_the_test_pipeline(tmp_path: Path) -> None:
    from mmengine.config import Config

    cfg = Config.fromfile('configs/avssl_tiny_synthav_5shot.py')
    half = split_dataset_cfg(cfg, 'unlabeled')
    assert half['ann_file'] == cfg.train_dataloader.dataset.unlabeled.ann_file
    assert half['pipeline'] == cfg.test_dataloader.dataset.pipeline and half['test_mode']
    with pytest.raises(ValueError, match='split must be one of'):
        split_dataset_cfg(cfg, 'train')
    supervised = Config.fromfile('configs/sup_tiny_synthav_1shot_av.py')
    with pytest.raises(KeyError, match="no 'unlabeled' half"):
        split_dataset_cfg(supervised, 'unlabeled')


def test_the_tool_scores_the_unlabeled_clips_of_a_real_checkpoint(
    tiny_synthav: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, checkpoint = tiny_checkpoint(
        'configs/avssl_tiny_synthav_1shot.py', tiny_synthav, tmp_path
    )
    out = tmp_path / 'quality.json'
    tool = load_tool('tools/analysis/pseudo_label_quality.py')
    argv = [str(config), str(checkpoint), str(checkpoint), '--num', '6', '--json', str(out)]
    argv += ['--group-size', '2']
    assert tool.main([*argv, '--thresholds', '0', '0.5', '--flexmatch-taus', '0.3', '0.95']) == 0
    printed = capsys.readouterr().out
    assert 'groups of 2 classes: accuracy' in printed
    assert 'unlabeled, 6 clips' in printed and 'mean of 2 checkpoints' in printed
    result = json.loads(out.read_text())['results']
    first, second = result[0], result[1]
    assert first == {**second, 'checkpoint': first['checkpoint']}  # same weights, same numbers
    rows = first['rows']
    assert rows[0]['threshold'] == 0.0 and rows[0]['coverage'] == 1.0 and rows[0]['kept'] == 6
    assert 0.0 <= first['ece'] <= 1.0 and 0.0 < first['mean_conf'] <= 1.0
    groups = first['group_errors']
    assert sum(groups['predicted']) == 6
    assert groups['accuracy'] == pytest.approx(rows[0]['accuracy'])
    assert groups['within'] + groups['across'] == pytest.approx(1 - groups['accuracy'])
    assert 'FlexMatch (warm-up normaliser)' in printed
    flex = {row['tau']: row for row in first['flexmatch']}
    assert set(flex) == {0.3, 0.95} and 0.0 <= flex[0.3]['pass_rate'] <= 1.0
    # without the warm-up normaliser the same clips are counted and no class threshold is lower
    plain_json = tmp_path / 'plain.json'
    argv = [str(config), str(checkpoint), '--num', '6', '--json', str(plain_json)]
    assert tool.main([*argv, '--flexmatch-taus', '0.3', '0.95', '--no-flexmatch-warmup']) == 0
    assert 'FlexMatch (no warm-up' in capsys.readouterr().out
    plain = json.loads(plain_json.read_text())
    assert plain['flexmatch_warmup'] is False
    assert json.loads(out.read_text())['flexmatch_warmup'] is True
    for row in plain['results'][0]['flexmatch']:
        assert row['counted'] == flex[row['tau']]['counted']
        assert row['threshold_max'] >= flex[row['tau']]['threshold_max']
        assert row['pass_rate'] <= flex[row['tau']]['pass_rate']


def test_the_parts_of_a_late_fusion_prediction_add_up(
    tiny_synthav: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from avssl.analysis.prediction_parts import prediction_parts
    from avssl.analysis.split_inputs import load_split
    from avssl.apis import init_recognizer

    config, checkpoint = tiny_checkpoint(
        'configs/ablations/avssl_tiny_synthav_1shot_auxsum.py', tiny_synthav, tmp_path
    )
    model = init_recognizer(str(config), str(checkpoint))
    inputs, labels = load_split(model, 'unlabeled', 4)
    parts = prediction_parts(model, inputs, batch_size=3)  # two batches, one short
    assert set(parts) == {'prediction', 'fused', 'video', 'audio'}
    num_classes = model.teacher.cls_head.num_classes
    assert all(p.shape == (4, num_classes) for p in parts.values())
    weight = model.teacher.aux_head.fuse_weight
    summed = parts['fused'] + weight * (parts['video'] + parts['audio'])
    torch.testing.assert_close(parts['prediction'], summed)
    # the tool prints each part's share right and in the right family
    tool = load_tool('tools/analysis/pseudo_label_quality.py')
    out = tmp_path / 'parts.json'
    argv = [str(config), str(checkpoint), '--num', '4', '--parts', '--group-size', '2']
    assert tool.main([*argv, '--json', str(out)]) == 0
    assert '| part of the prediction | right % | group right % |' in capsys.readouterr().out
    scored = json.loads(out.read_text())['results'][0]['parts']
    assert set(scored) == set(parts)
    assert (
        scored['prediction']['accuracy']
        == json.loads(out.read_text())['results'][0]['group_errors']['accuracy']
    )
    # --gate adds the prediction restricted to the classes the audio classifier rates >= 1/C
    from avssl.analysis.prediction_parts import gated_prediction

    gated = gated_prediction(parts, 'audio')
    chance = parts['audio'].softmax(dim=1) >= 1 / num_classes
    assert bool((gated[~chance] == 0).all())
    torch.testing.assert_close(gated.sum(dim=1), torch.ones(4))
    assert gated.argmax(dim=1).tolist() == (
        parts['prediction'].masked_fill(~chance, float('-inf')).argmax(dim=1).tolist()
    )
    assert tool.main([*argv, '--gate', 'audio', '--json', str(out)]) == 0
    scored = json.loads(out.read_text())['results'][0]['parts']
    right = float((gated.argmax(dim=1) == labels).float().mean())
    assert scored['prediction gated by audio']['accuracy'] == pytest.approx(right)
    # --gate-floors scores the gate at other floors too: at floor 1 only a class the audio
    # classifier is certain of could stay, so every clip falls back to its ungated prediction
    argv_floor = [*argv, '--gate', 'audio', '--gate-floors', '1', '--json', str(out)]
    assert tool.main(argv_floor) == 0
    scored = json.loads(out.read_text())['results'][0]['parts']
    at_one = scored['prediction gated by audio, floor 1']
    assert at_one['accuracy'] == pytest.approx(scored['prediction']['accuracy'])
    torch.testing.assert_close(
        gated_prediction(parts, 'audio', 1 / num_classes), gated_prediction(parts, 'audio')
    )
    with pytest.raises(SystemExit):
        tool.main([*argv, '--gate-floors', '0.2'])
    with pytest.raises(KeyError, match="no 'text' classifier"):
        gated_prediction(parts, 'text')
    # a network without the heads has no parts to split: the error says so
    plain, plain_ckpt = tiny_checkpoint(
        'configs/avssl_tiny_synthav_1shot.py', tiny_synthav, tmp_path, stem='plain'
    )
    with pytest.raises(ValueError, match='has no aux_head'):
        prediction_parts(init_recognizer(str(plain), str(plain_ckpt)), inputs)
