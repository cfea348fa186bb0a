"""Frame rendering: antialiased shapes with textures and colours over a noisy background."""

from __future__ import annotations

import numpy as np

from .classes import build_families, hsv_to_rgb
from .config import SynthAVConfig
from .scene import Background, Scene, SceneObject
from .shapes import shape_alpha

#: Brightness multiplier of the dark parts of a texture.
TEXTURE_DARK = 0.45
#: Texture periods as a fraction of the object side.
TEXTURE_PERIOD: dict[str, float] = {'striped': 0.25, 'checker': 1.0 / 3.0, 'dotted': 0.25}


def texture_pattern(texture: str, side: int, phase: tuple[float, float]) -> np.ndarray:
    """Brightness pattern of a texture on an object's box.

    Args:
        texture (str): One of :data:`~.classes.TEXTURES`.
        side (int): Box side in pixels.
        phase (tuple[float, float]): Offset as a fraction of the period (x, y).

    Returns:
        np.ndarray: Multipliers in ``{TEXTURE_DARK .. 1}``, shape ``(side, side)`` float32.
    """
    if texture == 'solid':
        return np.ones((side, side), dtype=np.float32)
    period = TEXTURE_PERIOD[texture] * side
    c = np.arange(side, dtype=np.float64) + 0.5
    u = (c[None, :] / period + phase[0]) % 1.0
    v = (c[:, None] / period + phase[1]) % 1.0
    if texture == 'striped':
        dark = np.broadcast_to(v < 0.5, (side, side))
    elif texture == 'checker':
        dark = (u < 0.5) ^ (v < 0.5)
    elif texture == 'dotted':
        dark = np.hypot(u - 0.5, v - 0.5) < 0.3
    else:
        raise ValueError(f'unknown texture {texture!r}')
    return np.where(dark, TEXTURE_DARK, 1.0).astype(np.float32)


def render_background(bg: Background, cfg: SynthAVConfig) -> np.ndarray:
    """Noisy frames of the background alone.

    Args:
        bg (Background): Background parameters.
        cfg (SynthAVConfig): Generator configuration (size, frame count).

    Returns:
        np.ndarray: Frames, shape ``(T, S, S, 3)`` float32 in grey levels (unclipped).
    """
    rng = np.random.default_rng(bg.seed)
    size, t_len = cfg.size, cfg.num_frames
    grid = rng.uniform(-1.0, 1.0, size=(bg.cells + 1, bg.cells + 1))
    pos = (np.arange(size) + 0.5) / size * bg.cells
    interp = np.clip(1.0 - np.abs(pos[:, None] - np.arange(bg.cells + 1)[None, :]), 0.0, None)
    blob = interp @ grid @ interp.T  # bilinear upsampling, (S, S)
    base = bg.level + bg.contrast * blob[..., None] + np.asarray(bg.tint)[None, None, :]
    noise = rng.standard_normal((t_len, size, size, 1), dtype=np.float32) * bg.noise_std
    return base.astype(np.float32)[None] + noise


def object_sprite(obj: SceneObject, cfg: SynthAVConfig) -> tuple[np.ndarray, np.ndarray]:
    """Colour and coverage of an object at full brightness.

    Args:
        obj (SceneObject): The object.
        cfg (SynthAVConfig): Generator configuration (for the family table).

    Returns:
        tuple[np.ndarray, np.ndarray]: Colour ``(side, side, 3)`` in grey levels and coverage
        ``(side, side, 1)`` in [0, 1], both float32.
    """
    fam = build_families(cfg.num_classes, cfg.class_offset)[obj.family]
    rgb = np.asarray(hsv_to_rgb(obj.hue, obj.saturation, obj.value), dtype=np.float32) * 255.0
    pattern = texture_pattern(fam.texture, obj.side, obj.texture_phase)
    alpha = shape_alpha(fam.shape, obj.side)[..., None]
    return pattern[..., None] * rgb[None, None, :], alpha


def render_frames(scene: Scene, cfg: SynthAVConfig) -> np.ndarray:
    """Render all frames of a scene.

    Objects are composited in ``scene.objects`` order (the random drawing order); each one's
    colour is scaled by its per-frame brightness (the pulse), its box never changes size.

    Args:
        scene (Scene): The sampled scene.
        cfg (SynthAVConfig): Generator configuration.

    Returns:
        np.ndarray: Frames, shape ``(T, S, S, 3)`` uint8 RGB.
    """
    frames = render_background(scene.background, cfg)
    for obj in scene.objects:
        colour, alpha = object_sprite(obj, cfg)
        keep = 1.0 - alpha
        for t, (x1, y1, x2, y2) in enumerate(obj.boxes.tolist()):
            region = frames[t, y1:y2, x1:x2]
            region *= keep
            region += alpha * (colour * obj.brightness[t])
    return np.clip(np.rint(frames), 0, 255).astype(np.uint8)
