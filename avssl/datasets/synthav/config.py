"""Configuration of the SynthAV generator: every argument that changes the generated content."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

from .classes import check_class_range

#: Bumped whenever the generated content for a given configuration changes.
SYNTHAV_VERSION = 1


@dataclass(frozen=True)
class SynthAVConfig:
    """Everything that defines the content of a SynthAV data set (not where or how it is written).

    Args:
        num_classes (int): Number of classes. Classes form families of two (see
            :mod:`avssl.datasets.synthav`). Defaults to 10.
        clips_per_class (int): Clips generated per class. Defaults to 100.
        seed (int): Master seed; clip ``i`` uses ``numpy.random.default_rng([seed, i])``.
        num_distractors (int): Silent distractor objects per clip, each from a different family
            than the source and than each other. Defaults to 2.
        object_area (tuple[float, float]): Range of an object's box area as a fraction of the
            frame area. Every object (source and distractors) draws from it. Defaults to
            ``(0.25, 0.35)``.
        distractor_motion (bool): Whether distractors move like the source. Defaults to True.
        distractor_pulse (bool): Whether distractors pulse with their own random envelope like
            the source does with its audio envelope. Defaults to True.
        size (int): Frame width and height in pixels. Defaults to 112.
        duration (float): Clip length in seconds. Defaults to 3.0.
        fps (int): Frame rate. Defaults to 25.
        sample_rate (int): Audio sample rate in Hz (mono). Defaults to 16000.
        val_fraction (float): Fraction of each class's clips in ``val``. Defaults to 0.1.
        test_fraction (float): Fraction of each class's clips in ``test``. Defaults to 0.3.
        shots (tuple[int, ...]): ``k`` of the ``train_labeled_{k}shot`` lists. Defaults to
            ``(1, 2, 3, 5)``.
        speed (tuple[float, float]): Range of object speed in frame sizes per second.
            Defaults to ``(0.03, 0.1)`` (10 to 34 pixels over a default clip).
        snr_db (tuple[float, float]): Range of the audio signal-to-noise ratio in dB.
            Defaults to ``(5.0, 20.0)``.
        max_occlusion (float): Largest fraction of any object's pixels that the objects drawn
            above it may hide in any frame (enforced by rejection sampling). Defaults to 0.5.
        class_offset (int): First class of the set in the class universe (a multiple of 2):
            the set holds universe classes ``[class_offset, class_offset + num_classes)``,
            labelled from 0 (see :func:`~avssl.datasets.synthav.classes.build_families`). A
            pretraining set with ``class_offset=10`` shares no class with the default set.
            Defaults to 0.
    """

    num_classes: int = 10
    clips_per_class: int = 100
    seed: int = 0
    num_distractors: int = 2
    object_area: tuple[float, float] = (0.25, 0.35)
    distractor_motion: bool = True
    distractor_pulse: bool = True
    size: int = 112
    duration: float = 3.0
    fps: int = 25
    sample_rate: int = 16000
    val_fraction: float = 0.1
    test_fraction: float = 0.3
    shots: tuple[int, ...] = field(default=(1, 2, 3, 5))
    speed: tuple[float, float] = (0.03, 0.1)
    snr_db: tuple[float, float] = (5.0, 20.0)
    max_occlusion: float = 0.5
    class_offset: int = 0

    def __post_init__(self) -> None:
        # Normalise sequences (e.g. lists from a CLI or a JSON file) so the config stays hashable.
        for name in ('object_area', 'speed', 'snr_db'):
            object.__setattr__(self, name, tuple(float(v) for v in getattr(self, name)))
        object.__setattr__(self, 'shots', tuple(int(k) for k in self.shots))
        self.validate()

    @property
    def num_families(self) -> int:
        """int: Number of class families (``ceil(num_classes / 2)``)."""
        return (self.num_classes + 1) // 2

    @property
    def num_frames(self) -> int:
        """int: Frames per clip (``round(duration * fps)``)."""
        return int(round(self.duration * self.fps))

    @property
    def num_samples(self) -> int:
        """int: Audio samples per clip (``round(duration * sample_rate)``)."""
        return int(round(self.duration * self.sample_rate))

    def side_range(self) -> tuple[int, int]:
        """Integer box side lengths whose area fraction lies inside ``object_area``.

        Returns:
            tuple[int, int]: Smallest and largest allowed side in pixels (inclusive).
        """
        lo = math.ceil(math.sqrt(self.object_area[0]) * self.size - 1e-9)
        hi = math.floor(math.sqrt(self.object_area[1]) * self.size + 1e-9)
        return lo, hi

    def validate(self) -> None:
        """Check that the configuration can be generated.

        Raises:
            ValueError: Naming the offending argument.
        """
        check_class_range(self.num_classes, self.class_offset)
        if self.seed < 0:
            raise ValueError(f'seed must be >= 0, got {self.seed}')
        if self.clips_per_class < 1:
            raise ValueError(f'clips_per_class must be >= 1, got {self.clips_per_class}')
        if not 0 <= self.num_distractors <= self.num_families - 1:
            raise ValueError(
                f'num_distractors must be in [0, num_families - 1 = {self.num_families - 1}] '
                f'(distractors come from distinct other families; num_classes={self.num_classes} '
                f'gives num_families={self.num_families}), got {self.num_distractors}'
            )
        lo, hi = self.object_area
        if not 0.0 < lo <= hi < 1.0:
            raise ValueError(f'object_area must satisfy 0 < min <= max < 1, got {self.object_area}')
        if self.size < 16:
            raise ValueError(f'size must be >= 16 pixels, got {self.size}')
        side_lo, side_hi = self.side_range()
        if side_lo > side_hi or side_hi >= self.size:
            raise ValueError(
                f'object_area {self.object_area} admits no integer box side in a '
                f'{self.size}x{self.size} frame that leaves room to move'
            )
        if self.fps < 1 or self.duration <= 0 or self.num_frames < 2:
            raise ValueError(f'need at least 2 frames, got duration={self.duration} fps={self.fps}')
        if self.sample_rate < 8000:
            raise ValueError(f'sample_rate must be >= 8000 Hz, got {self.sample_rate}')
        if self.num_samples < self.sample_rate // 20:
            raise ValueError(f'duration {self.duration} s is too short for the audio features')
        if not (
            0 <= self.val_fraction < 1
            and 0 <= self.test_fraction < 1
            and self.val_fraction + self.test_fraction < 1
        ):
            raise ValueError(
                f'val_fraction + test_fraction must be < 1, got {self.val_fraction} + '
                f'{self.test_fraction}'
            )
        if any(k < 1 for k in self.shots) or len(set(self.shots)) != len(self.shots):
            raise ValueError(f'shots must be distinct positive integers, got {self.shots}')
        if not 0 <= self.speed[0] <= self.speed[1]:
            raise ValueError(f'speed must satisfy 0 <= min <= max, got {self.speed}')
        if self.snr_db[0] > self.snr_db[1]:
            raise ValueError(f'snr_db must satisfy min <= max, got {self.snr_db}')
        if not 0.0 < self.max_occlusion <= 1.0:
            raise ValueError(f'max_occlusion must be in (0, 1], got {self.max_occlusion}')

    def to_dict(self) -> dict[str, Any]:
        """Return the configuration as JSON-ready plain types (tuples become lists).

        Returns:
            dict[str, Any]: Field name to value, plus ``version``. ``class_offset`` is left out
            when it is 0, so folders generated before it existed stay up to date.
        """
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name == 'class_offset' and value == 0:
                continue
            out[f.name] = list(value) if isinstance(value, tuple) else value
        out['version'] = SYNTHAV_VERSION
        return out
