"""avssl.analysis.modality_swap and tools/analysis/modality_swap.py: which input decides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from helpers import load_tool, tiny_checkpoint

from avssl.analysis.modality_swap import (
    modality_swap_table,
    other_class_partners,
    predict_all,
)

LABELS = torch.tensor([0, 0, 1, 1, 2, 2, 3, 3])


def _one_hot_scores(codes: torch.Tensor, num_classes: int = 4) -> torch.Tensor:
    return torch.nn.functional.one_hot(codes.long(), num_classes).float()


def _audio_reader(batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """A model that names the class written in the audio and ignores the frames."""
    return _one_hot_scores(batch['audio'][:, 0])


def _inputs() -> dict[str, torch.Tensor]:
    # Clip i carries its own class in both inputs (audio as a code, frames as a code).
    return {'audio': LABELS.float()[:, None].clone(), 'imgs': LABELS.float()[:, None].clone()}


def test_partners_are_always_of_another_class_and_follow_the_seed() -> None:
    first = other_class_partners(LABELS, torch.Generator().manual_seed(3))
    again = other_class_partners(LABELS, torch.Generator().manual_seed(3))
    assert torch.equal(first, again)
    assert (LABELS[first] != LABELS).all()
    draws = {
        tuple(other_class_partners(LABELS, torch.Generator().manual_seed(s)).tolist())
        for s in range(5)
    }
    assert len(draws) > 1  # the seed changes the draw


def test_partners_need_two_classes() -> None:
    with pytest.raises(ValueError, match='at least two classes'):
        other_class_partners(torch.zeros(5, dtype=torch.long), torch.Generator())
    with pytest.raises(ValueError, match='1-D'):
        other_class_partners(torch.zeros(2, 2, dtype=torch.long), torch.Generator())


def test_a_model_that_reads_the_audio_follows_the_swapped_audio() -> None:
    partners = other_class_partners(LABELS, torch.Generator().manual_seed(0))
    rows = modality_swap_table(_audio_reader, _inputs(), LABELS, partners, batch_size=3)
    by_name = {row['condition']: row for row in rows}
    assert list(by_name) == ['matched', 'audio swapped', 'imgs swapped']
    assert by_name['matched'] == {'condition': 'matched', 'own_top1': 1.0, 'partner_top1': 0.0}
    # The audio decides: swapping it moves every prediction to the partner's class ...
    assert by_name['audio swapped']['own_top1'] == 0.0
    assert by_name['audio swapped']['partner_top1'] == 1.0
    # ... and swapping the frames changes nothing.
    assert by_name['imgs swapped']['own_top1'] == 1.0


def test_a_single_modality_model_gets_only_its_rows() -> None:
    inputs = {'audio': _inputs()['audio']}
    partners = other_class_partners(LABELS, torch.Generator().manual_seed(0))
    rows = modality_swap_table(_audio_reader, inputs, LABELS, partners)
    assert [row['condition'] for row in rows] == ['matched', 'audio swapped']


def test_predict_all_names_a_wrong_key_and_missing_partners() -> None:
    with pytest.raises(KeyError, match="cannot swap 'sound'"):
        predict_all(_audio_reader, _inputs(), 'sound', torch.zeros(8, dtype=torch.long))
    with pytest.raises(ValueError, match='one partner index per clip'):
        predict_all(_audio_reader, _inputs(), 'audio', None)
    bad = {'audio': torch.zeros(3, 1), 'imgs': torch.zeros(4, 1)}
    with pytest.raises(ValueError, match='different numbers of clips'):
        predict_all(_audio_reader, bad, None)


def test_the_tool_scores_a_real_checkpoint_under_the_three_conditions(
    tiny_synthav: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, checkpoint = tiny_checkpoint(
        'configs/labeled_tiny_synthav_1shot_av.py', tiny_synthav, tmp_path
    )
    out = tmp_path / 'swap.json'
    tool = load_tool('tools/analysis/modality_swap.py')
    assert tool.main([str(config), str(checkpoint), '--num', '12', '--json', str(out)]) == 0
    printed = capsys.readouterr().out
    assert 'test: 12 clips' in printed and '| imgs swapped |' in printed
    rows = json.loads(out.read_text())['results'][0]['rows']
    assert [row['condition'] for row in rows] == ['matched', 'audio swapped', 'imgs swapped']
    for row in rows:
        assert 0.0 <= row['own_top1'] <= 1.0 and 0.0 <= row['partner_top1'] <= 1.0


def test_the_tool_scores_an_auxiliary_classifier_and_names_a_missing_one(
    tiny_synthav: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tool = load_tool('tools/analysis/modality_swap.py')
    for name, has_aux in (
        ('labeled_tiny_synthav_1shot_av', False),
        ('ablations/labeled_tiny_synthav_1shot_av_aux', True),
    ):  # noqa: E501
        config, checkpoint = tiny_checkpoint(
            f'configs/{name}.py', tiny_synthav, tmp_path, stem=str(has_aux)
        )
        argv = [str(config), str(checkpoint), '--num', '8', '--head', 'audio']
        if not has_aux:
            with pytest.raises(ValueError, match='no audio auxiliary classifier'):
                tool.main(argv)
            continue
        out = tmp_path / 'swap.json'
        assert tool.main([*argv, '--json', str(out)]) == 0
        assert 'audio scores' in capsys.readouterr().out
        rows = json.loads(out.read_text())['results'][0]['rows']
        # the audio classifier ignores the frames: swapping them changes no prediction
        by = {row['condition']: row for row in rows}
        assert by['imgs swapped']['own_top1'] == by['matched']['own_top1']
        assert by['imgs swapped']['partner_top1'] == by['matched']['partner_top1']
