"""Sound families: parametric timbres in per-family frequency slots, and waveform synthesis.

:func:`sample_sound` receives a :class:`~.classes.FamilySpec` and never a class or a colour
variant, so both classes of a family have exactly the same sound distribution. Families differ
in their frequency slot (log-spaced, one per family, disjoint) and in their timbre (cycling
through :data:`~.classes.TIMBRES`), so any number of families stays separable on a log-mel
spectrogram.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .classes import FamilySpec
from .config import SynthAVConfig

#: Where the fundamental may start inside the family slot (fractions of the log slot width).
F0_RANGE = (0.1, 0.5)
#: Log-width of a sweep's glide and of a noise band, as a fraction of the slot width.
GLIDE = 0.35
#: Noise colours of the background audio noise (spectral slope exponent of the power).
NOISE_COLOURS: dict[str, float] = {'white': 0.0, 'pink': 1.0, 'brown': 2.0}


@dataclass(frozen=True)
class SoundParams:
    """Parameters of one clip's sound.

    Args:
        timbre (str): Family timbre.
        f0 (float): Fundamental (or lower noise-band edge) in Hz.
        glide (float): Frequency ratio reached at the end of a sweep burst; upper/lower
            noise-band ratio.
        tilt (float): Harmonic amplitude decay exponent (amplitude ``1 / k ** tilt``).
        mod_rate (float): Vibrato or amplitude-modulation rate in Hz.
        mod_depth (float): Relative vibrato depth.
        snr_db (float): Signal-to-noise ratio of the background noise in dB.
        noise_colour (str): One of :data:`NOISE_COLOURS`.
        peak (float): Peak absolute amplitude of the final waveform.
        seed (int): Seed of the sample-level randomness (phases, noise).
    """

    timbre: str
    f0: float
    glide: float
    tilt: float
    mod_rate: float
    mod_depth: float
    snr_db: float
    noise_colour: str
    peak: float
    seed: int


def sample_sound(family: FamilySpec, cfg: SynthAVConfig, rng: np.random.Generator) -> SoundParams:
    """Draw the sound of a clip whose source belongs to ``family``.

    Args:
        family (FamilySpec): The sounding object's family (the variant is deliberately absent).
        cfg (SynthAVConfig): Generator configuration (SNR range).
        rng (np.random.Generator): Random source.

    Returns:
        SoundParams: Parameters for :func:`synthesize`.
    """
    lo, hi = np.log(family.band[0]), np.log(family.band[1])
    width = hi - lo
    f0 = float(np.exp(lo + width * rng.uniform(*F0_RANGE)))
    rate = (4.0, 8.0) if family.timbre == 'vibrato' else (15.0, 35.0)
    return SoundParams(
        timbre=family.timbre,
        f0=f0,
        glide=float(np.exp(width * GLIDE)),
        tilt=float(rng.uniform(0.8, 1.6)),
        mod_rate=float(rng.uniform(*rate)),
        mod_depth=float(rng.uniform(0.01, 0.03)),
        snr_db=float(rng.uniform(*cfg.snr_db)),
        noise_colour=str(rng.choice(list(NOISE_COLOURS))),
        peak=float(rng.uniform(0.3, 0.8)),
        seed=int(rng.integers(2**62)),
    )


def coloured_noise(rng: np.random.Generator, num_samples: int, exponent: float) -> np.ndarray:
    """Unit-RMS noise whose power spectrum falls as ``1 / f ** exponent``.

    Args:
        rng (np.random.Generator): Random source.
        num_samples (int): Length ``N``.
        exponent (float): Spectral slope exponent (0 white, 1 pink, 2 brown).

    Returns:
        np.ndarray: Noise, shape ``(N,)`` float64.
    """
    spec = np.fft.rfft(rng.standard_normal(num_samples))
    freqs = np.arange(spec.shape[0], dtype=np.float64)
    freqs[0] = 1.0
    noise = np.fft.irfft(spec / freqs ** (exponent / 2.0), n=num_samples)
    noise -= noise.mean()
    return noise / max(float(np.sqrt(np.mean(noise**2))), 1e-12)


def _band_noise(rng: np.random.Generator, n: int, sr: int, lo: float, hi: float) -> np.ndarray:
    spec = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, d=1.0 / sr)
    spec[(freqs < lo) | (freqs > hi)] = 0.0
    return np.fft.irfft(spec, n=n)


def carrier(params: SoundParams, progress: np.ndarray, sample_rate: int) -> np.ndarray:
    """The un-enveloped source signal of a timbre.

    Args:
        params (SoundParams): Sound parameters.
        progress (np.ndarray): Fraction of the current burst elapsed, shape ``(N,)`` (drives
            the sweep so every burst glides from ``f0`` up to ``f0 * glide``).
        sample_rate (int): Sample rate in Hz.

    Returns:
        np.ndarray: Signal, shape ``(N,)`` float64, roughly unit peak.
    """
    rng = np.random.default_rng(params.seed)
    n = progress.shape[0]
    t = np.arange(n, dtype=np.float64) / sample_rate
    nyquist = 0.45 * sample_rate
    if params.timbre == 'noise':
        band = _band_noise(rng, n, sample_rate, params.f0, params.f0 * params.glide)
        return band / max(float(np.abs(band).max()), 1e-12)
    if params.timbre == 'vibrato':
        freq = params.f0 * (1.0 + params.mod_depth * np.sin(2 * np.pi * params.mod_rate * t))
        harmonics, amps = [1, 2], [1.0, 0.3]
    elif params.timbre == 'sweep':
        freq = params.f0 * params.glide ** progress.astype(np.float64)
        harmonics, amps = [1, 2], [1.0, 0.25]
    elif params.timbre == 'am':
        freq = np.full(n, params.f0)
        harmonics = [1, 3, 5, 7]
        amps = [1.0 / k for k in harmonics]
    else:  # harmonic
        freq = np.full(n, params.f0)
        harmonics = list(range(1, 11))
        amps = [1.0 / k**params.tilt for k in harmonics]
    phase = 2 * np.pi * np.cumsum(freq) / sample_rate
    offsets = rng.uniform(0, 2 * np.pi, size=len(harmonics))
    top = float(freq.max())
    out = np.zeros(n, dtype=np.float64)
    for k, a, off in zip(harmonics, amps, offsets, strict=True):
        if k * top < nyquist:
            out += a * np.sin(k * phase + off)
    if params.timbre == 'am':
        out *= 0.5 + 0.5 * np.sin(2 * np.pi * params.mod_rate * t)
    return out


def synthesize(
    params: SoundParams, envelope: np.ndarray, progress: np.ndarray, sample_rate: int
) -> np.ndarray:
    """Render the clip's waveform: enveloped source plus background noise at the drawn SNR.

    Args:
        params (SoundParams): Sound parameters.
        envelope (np.ndarray): Source envelope in [0, 1], shape ``(N,)``.
        progress (np.ndarray): Burst progress, shape ``(N,)``.
        sample_rate (int): Sample rate in Hz.

    Returns:
        np.ndarray: Mono waveform, shape ``(N,)`` float32, peak ``params.peak``.
    """
    signal = carrier(params, progress, sample_rate) * envelope.astype(np.float64)
    active = envelope > 0.05
    rms = float(np.sqrt(np.mean(signal[active] ** 2))) if active.any() else 0.0
    signal /= max(rms, 1e-9)
    noise_rng = np.random.default_rng([params.seed, 1])
    noise = coloured_noise(noise_rng, signal.shape[0], NOISE_COLOURS[params.noise_colour])
    mix = signal + noise * 10.0 ** (-params.snr_db / 20.0)
    mix *= params.peak / max(float(np.abs(mix).max()), 1e-9)
    return mix.astype(np.float32)
