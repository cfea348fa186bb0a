"""Per-clip scene sampling: which objects, where they move, how they pulse, what sounds.

A scene is sampled once per clip from ``numpy.random.default_rng([seed, clip_index])`` and then
rendered deterministically (:mod:`.render`, :mod:`.sound`). Slot 0 is the sounding object; the
geometry (drawing order, sizes, trajectories) of all slots is drawn from one distribution and
accepted by an overlap rule that treats every object alike, and every object draws its rhythm
from the same distribution. Hence no geometric or temporal statistic (size, position, speed,
depth, pulse) tells the source from a distractor."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .classes import build_classes, build_families
from .config import SynthAVConfig
from .envelope import Burst, frame_average, render_envelope, sample_bursts
from .shapes import shape_mask
from .sound import SoundParams, sample_sound

#: Brightness of an object at zero envelope (1.0 at full envelope).
BRIGHTNESS_FLOOR = 0.4
#: Rejection-sampling attempts for the overlap constraint before keeping the best attempt.
MAX_TRIES = 500


@dataclass(frozen=True)
class SceneObject:
    """One object of a scene.

    Args:
        label (int): Class whose appearance the object has.
        family (int): Family of ``label``.
        side (int): Box side in pixels (constant over the clip).
        boxes (np.ndarray): Per-frame boxes ``(T, 4)`` int64 ``[x1, y1, x2, y2]`` with ``x2``
            and ``y2`` exclusive, so the box area is ``side ** 2``.
        brightness (np.ndarray): Per-frame brightness factor ``(T,)`` float32 in
            ``[BRIGHTNESS_FLOOR, 1]``.
        bursts (tuple[Burst, ...]): The rhythm behind ``brightness``.
        hue (float): Jittered hue in [0, 1).
        saturation (float): Saturation in [0, 1].
        value (float): Peak value (brightness) in [0, 1].
        texture_phase (tuple[float, float]): Texture offset as a fraction of its period (x, y).
    """

    label: int
    family: int
    side: int
    boxes: np.ndarray
    brightness: np.ndarray
    bursts: tuple[Burst, ...]
    hue: float
    saturation: float
    value: float
    texture_phase: tuple[float, float]


@dataclass(frozen=True)
class Background:
    """Parameters of the frame background.

    Args:
        level (float): Mean grey level in [0, 255].
        tint (tuple[float, float, float]): Per-channel offset added to ``level``.
        contrast (float): Amplitude of the smooth blob texture.
        cells (int): Grid cells per side of the blob texture.
        noise_std (float): Std of the per-frame pixel noise.
        seed (int): Seed of the pixel-level randomness.
    """

    level: float
    tint: tuple[float, float, float]
    contrast: float
    cells: int
    noise_std: float
    seed: int


@dataclass(frozen=True)
class Scene:
    """A fully sampled clip.

    Args:
        clip_index (int): Global clip index.
        label (int): Clip label (the sounding object's class).
        objects (tuple[SceneObject, ...]): Objects in drawing order (first is drawn first).
        source (int): Index of the sounding object in ``objects``.
        background (Background): Frame background.
        sound (SoundParams): Sound of the source (depends on its family only).
        envelope (np.ndarray): Source envelope on the audio grid, shape ``(N,)`` float32.
        progress (np.ndarray): Fraction of the current burst elapsed, shape ``(N,)`` float32.
        occlusion (float): Largest fraction of any object's pixels hidden by the objects drawn
            above it, over all frames (``<= max_occlusion`` unless rejection sampling gave up).
    """

    clip_index: int
    label: int
    objects: tuple[SceneObject, ...]
    source: int
    background: Background
    sound: SoundParams
    envelope: np.ndarray
    progress: np.ndarray
    occlusion: float

    @property
    def source_boxes(self) -> np.ndarray:
        """np.ndarray: Boxes of the sounding object, shape ``(T, 4)``."""
        return self.objects[self.source].boxes


def clip_rng(seed: int, clip_index: int) -> np.random.Generator:
    """Random generator of one clip, independent of how clips are spread over workers.

    Args:
        seed (int): Master seed.
        clip_index (int): Global clip index.

    Returns:
        np.random.Generator: ``numpy.random.default_rng([seed, clip_index])``.
    """
    return np.random.default_rng([seed, clip_index])


def bounce(start: np.ndarray, velocity: np.ndarray, limit: np.ndarray, steps: int) -> np.ndarray:
    """Positions of points moving at constant velocity and bouncing inside ``[0, limit]``.

    Args:
        start (np.ndarray): Start positions, shape ``(K,)``.
        velocity (np.ndarray): Velocities per step, shape ``(K,)``.
        limit (np.ndarray): Upper bounds (> 0), shape ``(K,)``.
        steps (int): Number of time steps ``T``.

    Returns:
        np.ndarray: Positions, shape ``(T, K)``, float64 in ``[0, limit]``.
    """
    free = start[None, :] + velocity[None, :] * np.arange(steps, dtype=np.float64)[:, None]
    period = 2.0 * limit[None, :]
    m = np.mod(free, period)
    return np.where(m <= limit[None, :], m, period - m)


def occlusion(
    boxes: np.ndarray, shapes: list[str], size: int, stop_above: float | None = None
) -> np.ndarray:
    """Fraction of each object's pixels hidden by the objects drawn after it, per frame.

    A pixel belongs to an object where its shape covers at least half of it
    (:func:`~.shapes.shape_mask`).

    Args:
        boxes (np.ndarray): Boxes ``(T, K, 4)`` ``[x1, y1, x2, y2]`` (exclusive ends, square) in
            drawing order.
        shapes (list[str]): Shape of each object, length ``K``.
        size (int): Frame side in pixels.
        stop_above (float | None): Stop early (leaving the remaining objects at 0) once a
            hidden fraction exceeds this value. Defaults to None (compute everything).

    Returns:
        np.ndarray: Hidden fractions, shape ``(T, K)`` float64 in [0, 1].
    """
    t_len, k_len = boxes.shape[:2]
    hidden = np.zeros((t_len, k_len), dtype=np.float64)
    above = np.zeros((t_len, size, size), dtype=bool)
    layer = np.zeros((t_len, size, size), dtype=bool)
    for k in range(k_len - 1, -1, -1):
        mask = shape_mask(shapes[k], int(boxes[0, k, 2] - boxes[0, k, 0]))
        layer.fill(False)
        for t, (x1, y1, x2, y2) in enumerate(boxes[:, k].tolist()):
            layer[t, y1:y2, x1:x2] = mask
        if k < k_len - 1:
            hidden[:, k] = np.count_nonzero(layer & above, axis=(1, 2)) / mask.sum()
            if stop_above is not None and hidden[:, k].max() > stop_above:
                break
            above |= layer
        else:
            above[:] = layer
    return hidden


def sample_geometry(
    cfg: SynthAVConfig, rng: np.random.Generator, shapes: list[str], moving: np.ndarray
) -> tuple[np.ndarray, np.ndarray, float]:
    """Sample the drawing order, sizes and bouncing trajectories of ``K`` objects.

    Every attempt draws all objects from the same distribution: a uniformly random drawing
    order, area fraction uniform in ``cfg.object_area``, top-left corner uniform over the
    positions that keep the box in the frame, direction uniform, speed uniform in ``cfg.speed``
    (zero where ``moving`` is False). Attempts where more than ``cfg.max_occlusion`` of any
    object's pixels are hidden by the objects drawn above it, in any frame, are rejected; after
    :data:`MAX_TRIES` attempts the least occluded one is kept. The rule treats every object
    alike, so it depends on the shapes but not on which object sounds.

    Args:
        cfg (SynthAVConfig): Generator configuration.
        rng (np.random.Generator): Random source.
        shapes (list[str]): Shape of each object (by slot), length ``K``.
        moving (np.ndarray): Whether each object (by slot) moves, shape ``(K,)`` bool.

    Returns:
        tuple[np.ndarray, np.ndarray, float]: Boxes ``(T, K, 4)`` int64 in drawing order, the
        drawing order ``(K,)`` (``order[d]`` is the slot drawn ``d``-th) and the worst hidden
        fraction of the kept attempt.
    """
    k_len, t_len, size = moving.shape[0], cfg.num_frames, cfg.size
    side_lo, side_hi = cfg.side_range()
    best: tuple[np.ndarray, np.ndarray, float] | None = None
    for _ in range(MAX_TRIES):
        order = rng.permutation(k_len)
        area = rng.uniform(*cfg.object_area, size=k_len)
        side = np.clip(np.round(np.sqrt(area) * size), side_lo, side_hi).astype(np.int64)
        limit = (size - side).astype(np.float64)
        start = rng.uniform(0.0, 1.0, size=(2, k_len)) * limit
        angle = rng.uniform(0.0, 2.0 * np.pi, size=k_len)
        speed = rng.uniform(*cfg.speed, size=k_len) * size / cfg.fps * moving[order]
        x = np.round(bounce(start[0], speed * np.cos(angle), limit, t_len)).astype(np.int64)
        y = np.round(bounce(start[1], speed * np.sin(angle), limit, t_len)).astype(np.int64)
        boxes = np.stack([x, y, x + side, y + side], axis=-1)
        if k_len == 1:
            return boxes, order, 0.0
        # Stopping early is safe: a partial maximum at or above the best so far already means
        # this attempt can neither be accepted nor replace the best.
        stop = None if best is None else best[2]
        drawn = [shapes[s] for s in order]
        worst = float(occlusion(boxes, drawn, size, stop_above=stop).max())
        if best is None or worst < best[2]:
            best = (boxes, order, worst)
        if worst <= cfg.max_occlusion:
            break
    assert best is not None
    return best


def sample_scene(cfg: SynthAVConfig, clip_index: int) -> Scene:
    """Sample the scene of one clip.

    Args:
        cfg (SynthAVConfig): Generator configuration.
        clip_index (int): Global clip index; the label is ``clip_index // clips_per_class``.

    Returns:
        Scene: The sampled scene.
    """
    rng = clip_rng(cfg.seed, clip_index)
    classes = build_classes(cfg.num_classes, cfg.class_offset)
    families = build_families(cfg.num_classes, cfg.class_offset)
    label = clip_index // cfg.clips_per_class
    family = classes[label].family

    # Slot 0 is the source; distractors come from distinct other families, uniform member each.
    others = [f for f in range(len(families)) if f != family]
    picked = rng.choice(len(others), size=cfg.num_distractors, replace=False)
    labels = [label] + [int(rng.choice(families[others[i]].members)) for i in picked]
    shapes = [families[classes[lab].family].shape for lab in labels]
    moving = np.array([s == 0 or cfg.distractor_motion for s in range(len(labels))])
    boxes, order, worst = sample_geometry(cfg, rng, shapes, moving)
    source = int(np.nonzero(order == 0)[0][0])
    slots = [labels[s] for s in order]

    objects = []
    envelope = progress = None
    for d, lab in enumerate(slots):
        bursts = sample_bursts(rng, cfg.duration)
        env, prog = render_envelope(bursts, cfg.num_samples, cfg.sample_rate)
        level = frame_average(env, cfg.num_frames)
        brightness = BRIGHTNESS_FLOOR + (1.0 - BRIGHTNESS_FLOOR) * level
        if d != source and not cfg.distractor_pulse:
            brightness = np.full_like(brightness, brightness.mean())
        if d == source:
            envelope, progress = env, prog
        spec = classes[lab]
        objects.append(
            SceneObject(
                label=lab,
                family=spec.family,
                side=int(boxes[0, d, 2] - boxes[0, d, 0]),
                boxes=boxes[:, d],
                brightness=brightness.astype(np.float32),
                bursts=bursts,
                hue=float((spec.hue + rng.uniform(-0.025, 0.025)) % 1.0),
                saturation=float(rng.uniform(0.6, 0.95)),
                value=float(rng.uniform(0.8, 1.0)),
                texture_phase=(float(rng.uniform()), float(rng.uniform())),
            )
        )
    background = Background(
        level=float(rng.uniform(25.0, 70.0)),
        tint=tuple(float(v) for v in rng.uniform(-10.0, 10.0, size=3)),
        contrast=float(rng.uniform(8.0, 25.0)),
        cells=int(rng.integers(3, 9)),
        noise_std=float(rng.uniform(2.0, 6.0)),
        seed=int(rng.integers(2**62)),
    )
    sound = sample_sound(families[family], cfg, rng)
    assert envelope is not None and progress is not None
    return Scene(
        clip_index=clip_index,
        label=label,
        objects=tuple(objects),
        source=source,
        background=background,
        sound=sound,
        envelope=envelope,
        progress=progress,
        occlusion=worst,
    )
