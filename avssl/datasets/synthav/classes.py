"""SynthAV class specifications: appearance families, sound families and colour variants.

Class ``c`` belongs to family ``f = c // 2`` with variant ``v = c % 2``. A family fixes the
appearance family (shape and texture) and the sound family (timbre and frequency slot); the
variant fixes only the colour, so the sound distribution of the two classes of a family is
identical.
"""

from __future__ import annotations

import colorsys
import math
from dataclasses import dataclass
from functools import lru_cache

SHAPES: tuple[str, ...] = (
    'circle',
    'square',
    'triangle',
    'diamond',
    'cross',
    'ring',
    'star',
    'hexagon',
)
TEXTURES: tuple[str, ...] = ('solid', 'striped', 'checker', 'dotted')
TIMBRES: tuple[str, ...] = ('harmonic', 'vibrato', 'sweep', 'noise', 'am')
#: Hue names at 30 degree steps, starting at red.
HUE_NAMES: tuple[str, ...] = (
    'red',
    'orange',
    'yellow',
    'lime',
    'green',
    'spring',
    'cyan',
    'azure',
    'blue',
    'violet',
    'magenta',
    'rose',
)
#: Frequency range (Hz) split into one log-spaced slot per family.
FREQ_RANGE: tuple[float, float] = (150.0, 4000.0)
FAMILY_SIZE = 2


@dataclass(frozen=True)
class FamilySpec:
    """One family: a shape/texture appearance paired with a timbre/frequency-slot sound.

    Args:
        index (int): Family index ``f``.
        shape (str): One of :data:`SHAPES`.
        texture (str): One of :data:`TEXTURES`.
        timbre (str): One of :data:`TIMBRES`.
        band (tuple[float, float]): The family's frequency slot ``(low, high)`` in Hz; the
            sound's fundamental (or noise band) stays inside it.
        members (tuple[int, ...]): Class labels of the family.
    """

    index: int
    shape: str
    texture: str
    timbre: str
    band: tuple[float, float]
    members: tuple[int, ...]


@dataclass(frozen=True)
class ClassSpec:
    """One class: a family plus a colour variant.

    Args:
        label (int): Class label ``c``.
        name (str): Readable identifier, e.g. ``c00_circle_red``.
        family (int): Family index ``c // 2``.
        variant (int): Variant index ``c % 2`` (the colour).
        hue (float): Base hue in [0, 1).
        hue_name (str): Name of the hue.
    """

    label: int
    name: str
    family: int
    variant: int
    hue: float
    hue_name: str


def max_num_classes() -> int:
    """Largest supported class count (one distinct shape/texture pair per family).

    Returns:
        int: ``len(SHAPES) * len(TEXTURES) * FAMILY_SIZE``.
    """
    return len(SHAPES) * len(TEXTURES) * FAMILY_SIZE


def _hue_index(family: int, variant: int) -> int:
    # Family bases cycle over 6 hue steps; the two variants are opposite hues (180 deg apart).
    return (family * 5) % 6 + 6 * variant


def check_class_range(num_classes: int, class_offset: int = 0) -> None:
    """Check that classes ``[class_offset, class_offset + num_classes)`` can be built.

    Args:
        num_classes (int): Number of classes of the data set.
        class_offset (int): First class of the data set in the class universe.

    Raises:
        ValueError: Naming the argument that is out of range.
    """
    if class_offset < 0 or class_offset % FAMILY_SIZE:
        raise ValueError(
            f'class_offset must be a non-negative multiple of {FAMILY_SIZE} (whole families), '
            f'got {class_offset}'
        )
    if not 1 <= num_classes <= max_num_classes() - class_offset:
        raise ValueError(
            f'num_classes must be in [1, {max_num_classes() - class_offset}] with '
            f'class_offset={class_offset}, got {num_classes}'
        )


@lru_cache(maxsize=64)
def build_families(num_classes: int, class_offset: int = 0) -> tuple[FamilySpec, ...]:
    """Build the family specifications of a data set with ``num_classes`` classes.

    A data set holds the classes ``[class_offset, class_offset + num_classes)`` of the class
    universe. The universe family ``class_offset // 2 + f`` fixes the appearance (shape,
    texture, hue) and the timbre of the set's family ``f``, so sets with disjoint class ranges
    share no class: a set with ``class_offset >= 10`` holds none of the default 10-class
    set's classes, as ImageNet holds none of a video data set's. The frequency slots are cut
    for the set's own families over the whole range (one slot per family), so every set
    spans the same frequencies.

    Args:
        num_classes (int): Number of classes.
        class_offset (int): First universe class of the set (a multiple of 2). Defaults to 0.

    Returns:
        tuple[FamilySpec, ...]: ``ceil(num_classes / 2)`` families, indexed by the set's
        family index; ``members`` are the set's labels (starting at 0).
    """
    check_class_range(num_classes, class_offset)
    num_families = (num_classes + FAMILY_SIZE - 1) // FAMILY_SIZE
    first = class_offset // FAMILY_SIZE
    lo, hi = math.log(FREQ_RANGE[0]), math.log(FREQ_RANGE[1])
    width = (hi - lo) / num_families
    families = []
    for f in range(num_families):
        u = first + f
        members = tuple(range(f * FAMILY_SIZE, min((f + 1) * FAMILY_SIZE, num_classes)))
        band = (math.exp(lo + f * width), math.exp(lo + (f + 1) * width))
        families.append(
            FamilySpec(
                index=f,
                shape=SHAPES[u % len(SHAPES)],
                texture=TEXTURES[(u // len(SHAPES)) % len(TEXTURES)],
                timbre=TIMBRES[u % len(TIMBRES)],
                band=band,
                members=members,
            )
        )
    return tuple(families)


@lru_cache(maxsize=64)
def build_classes(num_classes: int, class_offset: int = 0) -> tuple[ClassSpec, ...]:
    """Build the class specifications of a data set with ``num_classes`` classes.

    Args:
        num_classes (int): Number of classes; ``class_offset + num_classes`` is at most
            :func:`max_num_classes`.
        class_offset (int): First universe class of the set (see :func:`build_families`).
            Names carry the universe index (``c10_ring_...``), labels start at 0. Defaults
            to 0.

    Returns:
        tuple[ClassSpec, ...]: One spec per label; names sort in label order.
    """
    check_class_range(num_classes, class_offset)
    families = build_families(num_classes, class_offset)
    digits = max(2, len(str(class_offset + num_classes - 1)))
    first = class_offset // FAMILY_SIZE
    specs = []
    for c in range(num_classes):
        f, v = divmod(c, FAMILY_SIZE)
        fam = families[f]
        h = _hue_index(first + f, v)
        texture = '' if fam.texture == 'solid' else f'_{fam.texture}'
        name = f'c{class_offset + c:0{digits}d}_{fam.shape}{texture}_{HUE_NAMES[h]}'
        specs.append(
            ClassSpec(label=c, name=name, family=f, variant=v, hue=h / 12.0, hue_name=HUE_NAMES[h])
        )
    return tuple(specs)


def hsv_to_rgb(hue: float, saturation: float, value: float) -> tuple[float, float, float]:
    """Convert one HSV colour to RGB.

    Args:
        hue (float): Hue in [0, 1) (wraps around).
        saturation (float): Saturation in [0, 1].
        value (float): Value in [0, 1].

    Returns:
        tuple[float, float, float]: RGB in [0, 1].
    """
    return colorsys.hsv_to_rgb(hue % 1.0, saturation, value)
