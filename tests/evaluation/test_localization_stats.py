"""Localization diagnostics: pointing, cIoU, map mass in the box, against hand-made maps."""

from __future__ import annotations

import numpy as np
import pytest

from avssl.analysis.localization_stats import (
    ClipLocalizationStats,
    clip_localization_stats,
    summarize_localization_stats,
)

BOX = np.array([[0, 0, 4, 4]])  # the top-left 4x4 of an 8x8 frame: area 0.25


def test_map_equal_to_the_box_indicator() -> None:
    heat = np.zeros((8, 8))
    heat[:4, :4] = 1.0
    stats = clip_localization_stats(heat, BOX, (8, 8))
    assert stats.pointing
    assert stats.mass_in_box == pytest.approx(1.0)
    assert stats.box_area == pytest.approx(0.25)
    # the median of a map that is 0 on 3/4 of the frame is 0, so every pixel is predicted:
    # cIoU = 16 / (16 + 48)
    assert stats.ciou == pytest.approx(0.25)


def test_peak_outside_the_box() -> None:
    heat = np.zeros((8, 8))
    heat[6, 6] = 5.0
    heat[:4, :4] = 1.0
    stats = clip_localization_stats(heat, BOX, (8, 8))
    assert not stats.pointing
    assert stats.mass_in_box == pytest.approx(16 / 21)


def test_flat_map_spreads_its_mass_like_the_box_area() -> None:
    stats = clip_localization_stats(np.full((2, 2), 0.3), BOX, (8, 8))
    assert stats.mass_in_box == pytest.approx(0.25)
    assert stats.pointing  # the first maximum, (0, 0), is inside the box


def test_small_map_is_upsampled_to_the_frame() -> None:
    heat = np.array([[1.0, 0.0], [0.0, 0.0]])  # top-left cell = the box's quarter
    stats = clip_localization_stats(heat, BOX, (8, 8))
    assert stats.pointing
    assert stats.mass_in_box > 0.25


def test_boxes_outside_the_frame_are_an_error() -> None:
    with pytest.raises(ValueError, match='cover no pixel'):
        clip_localization_stats(np.ones((2, 2)), np.array([[20, 20, 30, 30]]), (8, 8))


def test_summary() -> None:
    stats = [
        ClipLocalizationStats(pointing=True, ciou=0.6, mass_in_box=0.5, box_area=0.3),
        ClipLocalizationStats(pointing=False, ciou=0.2, mass_in_box=0.1, box_area=0.2),
    ]
    summary = summarize_localization_stats(stats)
    assert summary == pytest.approx(
        {
            'clips': 2.0,
            'pointing': 0.5,
            'cIoU@0.5': 0.5,
            'mean_cIoU': 0.4,
            'mass_in_box': 0.3,
            'box_area': 0.25,
        }
    )
    with pytest.raises(ValueError, match='no clips'):
        summarize_localization_stats([])
