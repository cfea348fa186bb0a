"""Burst envelopes: the rhythm shared by an object's sound and its brightness pulse."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Silence between bursts (s).
GAP = (0.15, 0.6)
#: Burst length (s).
BURST = (0.15, 0.7)
#: Burst peak amplitude.
AMPLITUDE = (0.6, 1.0)
#: Linear attack and release ramps (s).
ATTACK = (0.005, 0.03)
RELEASE = (0.03, 0.1)
#: Least total burst time inside a clip (s), capped at half the clip.
MIN_AUDIBLE = 0.3


@dataclass(frozen=True)
class Burst:
    """One sound burst.

    Args:
        onset (float): Start time in seconds.
        length (float): Length in seconds, ramps included.
        amplitude (float): Peak amplitude in (0, 1].
        attack (float): Linear rise time in seconds.
        release (float): Linear fall time in seconds.
    """

    onset: float
    length: float
    amplitude: float
    attack: float
    release: float


def sample_bursts(rng: np.random.Generator, duration: float) -> tuple[Burst, ...]:
    """Draw a random rhythm: alternating silences and bursts covering ``duration``.

    The alternation starts at a random time before the clip (a random phase), so a clip may
    start inside a burst or a silence and the envelope has no fixed shape at the clip's start.
    Every object (sounding or not) draws its rhythm here, so pulse statistics cannot tell the
    source from a distractor. At least :data:`MIN_AUDIBLE` seconds of burst lie inside the clip.

    Args:
        rng (np.random.Generator): Random source.
        duration (float): Clip length in seconds.

    Returns:
        tuple[Burst, ...]: Non-overlapping bursts in time order (only those that overlap the
        clip).
    """
    need = min(MIN_AUDIBLE, 0.5 * duration)
    for _ in range(100):
        bursts = []
        t = -float(rng.uniform(0.0, BURST[1] + GAP[1]))
        audible = 0.0
        while t < duration:
            length = float(rng.uniform(*BURST))
            amplitude = float(rng.uniform(*AMPLITUDE))
            attack = float(rng.uniform(*ATTACK))
            release = float(rng.uniform(*RELEASE))
            if t + length > 0.0:
                bursts.append(Burst(t, length, amplitude, attack, release))
                audible += min(t + length, duration) - max(t, 0.0)
            t += length + float(rng.uniform(*GAP))
        if audible >= need:
            return tuple(bursts)
    return (Burst(0.0, duration, 1.0, ATTACK[0], RELEASE[0]),)


def render_envelope(
    bursts: tuple[Burst, ...], num_samples: int, sample_rate: int
) -> tuple[np.ndarray, np.ndarray]:
    """Sample the envelope of ``bursts`` on the audio time grid.

    Args:
        bursts (tuple[Burst, ...]): Bursts from :func:`sample_bursts`.
        num_samples (int): Number of samples ``N``.
        sample_rate (int): Samples per second.

    Returns:
        tuple[np.ndarray, np.ndarray]: ``envelope`` of shape ``(N,)`` in [0, 1] and
        ``progress`` of shape ``(N,)``: the fraction of the current burst elapsed (0 outside
        bursts), both float32.
    """
    t = np.arange(num_samples, dtype=np.float64) / sample_rate
    env = np.zeros(num_samples, dtype=np.float64)
    progress = np.zeros(num_samples, dtype=np.float64)
    for b in bursts:
        start = max(0, int(np.floor(b.onset * sample_rate)))
        stop = min(num_samples, int(np.ceil((b.onset + b.length) * sample_rate)) + 1)
        if start >= num_samples or stop <= start:
            continue
        local = t[start:stop] - b.onset
        rise = np.clip(local / b.attack, 0.0, 1.0)
        fall = np.clip((b.length - local) / b.release, 0.0, 1.0)
        shape = b.amplitude * np.minimum(rise, fall)
        env[start:stop] = np.maximum(env[start:stop], shape)
        inside = (local >= 0) & (local <= b.length)
        progress[start:stop] = np.where(inside, local / b.length, progress[start:stop])
    return env.astype(np.float32), progress.astype(np.float32)


def frame_average(signal: np.ndarray, num_frames: int) -> np.ndarray:
    """Average a per-sample signal over each video frame's time window.

    Frame ``t`` covers samples ``[round(t * N / T), round((t + 1) * N / T))``, so a brightness
    computed from it is synchronised with the audio sample for sample.

    Args:
        signal (np.ndarray): Per-sample values, shape ``(N,)``.
        num_frames (int): Number of frames ``T``.

    Returns:
        np.ndarray: Per-frame means, shape ``(T,)``, float32.
    """
    n = signal.shape[0]
    edges = np.round(np.arange(num_frames + 1) * (n / num_frames)).astype(np.int64)
    sums = np.add.reduceat(signal.astype(np.float64), edges[:-1])
    counts = np.diff(edges)
    return (sums / np.maximum(counts, 1)).astype(np.float32)
