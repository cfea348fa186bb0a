"""Log-mel filterbank features shared by the data tools and the audio transforms.

One function computes the classifier's audio features everywhere (the SynthAV generator's
``stats.json``, the real data sets' prepare tools and the loading transforms), so the statistics
and the features can never drift apart. It follows AST: Kaldi-compatible filterbank from
torchaudio, 128 mel bins, 25 ms Hanning window, 10 ms hop, no dither, no energy term.
"""

from __future__ import annotations

import numpy as np
import torch
import torchaudio

DEFAULT_SAMPLE_RATE = 16000
DEFAULT_NUM_MEL_BINS = 128


def log_mel_fbank(
    waveform: torch.Tensor | np.ndarray,
    sample_rate: int = DEFAULT_SAMPLE_RATE,
    num_mel_bins: int = DEFAULT_NUM_MEL_BINS,
    frame_length_ms: float = 25.0,
    frame_shift_ms: float = 10.0,
) -> torch.Tensor:
    """Compute a log-mel filterbank of a mono (or multi-channel, averaged) waveform.

    Args:
        waveform (Tensor | np.ndarray): Samples, shape ``(N,)`` or ``(C, N)``; channels are
            averaged to mono. Float values in [-1, 1].
        sample_rate (int): Sample rate of ``waveform`` in Hz. Defaults to 16000.
        num_mel_bins (int): Number of mel bins. Defaults to 128.
        frame_length_ms (float): Window length in milliseconds. Defaults to 25.
        frame_shift_ms (float): Hop in milliseconds. Defaults to 10.

    Returns:
        Tensor: Log-mel features, shape ``(T, num_mel_bins)``, float32, where
        ``T = 1 + (N - window) // hop`` (Kaldi ``snip_edges``).

    Raises:
        ValueError: If the waveform is shorter than one analysis window or not 1-D/2-D.
    """
    wav = torch.as_tensor(waveform, dtype=torch.float32)
    if wav.dim() == 2:
        wav = wav.mean(dim=0, keepdim=True)
    elif wav.dim() == 1:
        wav = wav.unsqueeze(0)
    else:
        raise ValueError(f'waveform must be (N,) or (C, N), got shape {tuple(wav.shape)}')
    window = int(round(sample_rate * frame_length_ms / 1000.0))
    if wav.shape[1] < window:
        raise ValueError(
            f'waveform has {wav.shape[1]} samples, fewer than one {frame_length_ms} ms window '
            f'({window} samples at {sample_rate} Hz)'
        )
    wav = wav - wav.mean()
    return torchaudio.compliance.kaldi.fbank(
        wav,
        htk_compat=True,
        sample_frequency=float(sample_rate),
        use_energy=False,
        window_type='hanning',
        num_mel_bins=num_mel_bins,
        dither=0.0,
        frame_length=frame_length_ms,
        frame_shift=frame_shift_ms,
    )
