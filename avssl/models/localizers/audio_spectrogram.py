"""The localizer's log spectrogram, computed in torch from the raw waveform, and its masking.

FNAC (after EZ-VSL) feeds its audio network ``log(S + 1e-7) / 12`` where ``S`` is
``scipy.signal.spectrogram(audio, 16000, nperseg=512, noverlap=274)``: a power spectral density
(one-sided, ``density`` scaling) of frames of 512 samples every 238, each frame mean-removed
(``detrend='constant'``) and weighted by a periodic Tukey window (alpha 0.25). For 3 s at 16 kHz
that is 257 frequency bins x 200 frames. :class:`LogSpectrogram` computes the same in torch (so
it runs inside the model, on the model's device); the tests compare it with scipy.
"""

from __future__ import annotations

import math

import torch
from torch import nn


def tukey_window(length: int, alpha: float = 0.25, periodic: bool = True) -> torch.Tensor:
    """A Tukey (tapered cosine) window, as ``scipy.signal.windows.tukey``.

    Args:
        length (int): Window length.
        alpha (float): Fraction of the window inside the cosine tapers (0: rectangular,
            1: Hann). Defaults to 0.25.
        periodic (bool): The periodic window for spectral analysis (scipy's ``get_window``
            default, ``sym=False``): the symmetric window of ``length + 1`` without its last
            sample. Defaults to True.

    Returns:
        Tensor: ``(length,)``, float64.
    """
    if length < 1:
        raise ValueError(f'window length must be >= 1, got {length}')
    m = length + 1 if periodic else length
    n = torch.arange(m, dtype=torch.float64)
    if alpha <= 0 or m == 1:
        window = torch.ones(m, dtype=torch.float64)
    elif alpha >= 1:
        window = 0.5 - 0.5 * torch.cos(2 * math.pi * n / (m - 1))
    else:
        width = int(math.floor(alpha * (m - 1) / 2.0))
        window = torch.ones(m, dtype=torch.float64)
        head = n[: width + 1]
        tail = n[m - width - 1 :]
        window[: width + 1] = 0.5 * (1 + torch.cos(math.pi * (-1 + 2.0 * head / alpha / (m - 1))))
        window[m - width - 1 :] = 0.5 * (
            1 + torch.cos(math.pi * (-2.0 / alpha + 1 + 2.0 * tail / alpha / (m - 1)))
        )
    return window[:length] if periodic else window


class LogSpectrogram(nn.Module):
    """Waveform to the normalised log power spectrogram FNAC's audio network reads.

    ``out = log(S + eps) / divisor`` with ``S`` the one-sided power spectral density of
    mean-removed, windowed frames (``scipy.signal.spectrogram`` with its defaults otherwise).
    Frames are taken without padding: ``T = (N - n_fft) // hop_length + 1``.

    Args:
        sample_rate (int): Sample rate of the waveform (enters the density scaling).
            Defaults to 16000.
        n_fft (int): Frame length (``nperseg``). Defaults to 512.
        hop_length (int): Hop between frames (``nperseg - noverlap``). Defaults to 238.
        window_alpha (float): Tukey window parameter (0.25: scipy's default window).
            Defaults to 0.25.
        detrend (bool): Remove each frame's mean before windowing. Defaults to True.
        eps (float): Added before the log. Defaults to 1e-7.
        divisor (float): The log spectrogram is divided by it. Defaults to 12.
        clip (bool): Clip the waveform to ``[-1, 1]`` first (as FNAC's loader does).
            Defaults to True.
    """

    def __init__(
        self,
        sample_rate: int = 16000,
        n_fft: int = 512,
        hop_length: int = 238,
        window_alpha: float = 0.25,
        detrend: bool = True,
        eps: float = 1e-7,
        divisor: float = 12.0,
        clip: bool = True,
    ) -> None:
        super().__init__()
        if n_fft < 2 or hop_length < 1:
            raise ValueError(f'need n_fft >= 2 and hop_length >= 1, got {n_fft}, {hop_length}')
        if divisor == 0:
            raise ValueError('divisor must not be 0')
        self.sample_rate = sample_rate
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.window_alpha = window_alpha
        self.detrend = detrend
        self.eps = eps
        self.divisor = divisor
        self.clip = clip
        with torch.device('cpu'):  # a real window even when built under a meta device
            window = tukey_window(n_fft, window_alpha, periodic=True)
        scale = 1.0 / (sample_rate * float((window**2).sum()))
        self.register_buffer('window', window.float(), persistent=False)
        self.scale = scale

    @property
    def num_bins(self) -> int:
        """Frequency bins: ``n_fft // 2 + 1``."""
        return self.n_fft // 2 + 1

    def num_frames(self, num_samples: int) -> int:
        """Time frames for a waveform of ``num_samples`` samples."""
        return (num_samples - self.n_fft) // self.hop_length + 1

    def forward(self, waveform: torch.Tensor) -> torch.Tensor:
        """Compute the spectrogram.

        Args:
            waveform (Tensor): ``(B, N)`` (or ``(N,)``) samples.

        Returns:
            Tensor: ``(B, 1, n_fft // 2 + 1, T)`` float32: frequency along the height, time
            along the width.
        """
        if waveform.dim() == 1:
            waveform = waveform[None]
        if waveform.dim() != 2:
            raise ValueError(f'expected a waveform (B, N), got shape {tuple(waveform.shape)}')
        if waveform.shape[-1] < self.n_fft:
            raise ValueError(
                f'waveform of {waveform.shape[-1]} samples is shorter than n_fft={self.n_fft}'
            )
        x = waveform.float()
        if self.clip:
            x = x.clamp(-1.0, 1.0)
        frames = x.unfold(-1, self.n_fft, self.hop_length)  # (B, T, n_fft)
        if self.detrend:
            frames = frames - frames.mean(dim=-1, keepdim=True)
        spec = torch.fft.rfft(frames * self.window, dim=-1)
        power = (spec.real**2 + spec.imag**2) * self.scale
        # One-sided density: double every bin but DC (and Nyquist for an even n_fft).
        last = -1 if self.n_fft % 2 == 0 else None
        gain = torch.ones(power.shape[-1], device=power.device, dtype=power.dtype)
        gain[1:last] = 2.0
        power = power * gain
        out = torch.log(power + self.eps) / self.divisor
        return out.transpose(1, 2).unsqueeze(1).contiguous()

    def extra_repr(self) -> str:
        return (
            f'sample_rate={self.sample_rate}, n_fft={self.n_fft}, hop_length={self.hop_length}, '
            f'divisor={self.divisor}'
        )


def random_spec_masks(
    spec: torch.Tensor,
    freq_width: int = 10,
    time_width: int = 10,
    swapped_starts: bool = False,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """One frequency band and one time span per item set to 0 (FNAC's training augmentation).

    Each mask has a width drawn uniformly from ``0 .. width - 1`` and a start drawn uniformly
    over its own axis (a mask running past the end is cut). Zero is the value FNAC's masks
    write (before its division by 12, so after it too).

    ``swapped_starts=True`` reproduces a quirk of the FNAC / EZ-VSL loader: the frequency
    mask draws its start over the number of *time* frames and the time mask over the number
    of *frequency* bins (so with 257 bins and 200 frames a time mask starting past frame 199
    masks nothing).

    Args:
        spec (Tensor): ``(B, 1, F, T)``.
        freq_width (int): Maximum frequency-mask width (exclusive); 0 or 1 disables it.
            Defaults to 10.
        time_width (int): Maximum time-mask width (exclusive); 0 or 1 disables it.
            Defaults to 10.
        swapped_starts (bool): The loader's quirk, see above. Defaults to False.
        generator (torch.Generator | None): Random generator. Defaults to None.

    Returns:
        Tensor: A masked copy of ``spec``.
    """
    b, _, nf, nt = spec.shape
    device = spec.device
    keep = torch.ones(b, 1, nf, nt, dtype=torch.bool, device=device)

    def span(axis_len: int, start_range: int, width: int) -> torch.Tensor:
        start = torch.randint(0, start_range, (b, 1), generator=generator)
        size = torch.randint(0, width, (b, 1), generator=generator)
        pos = torch.arange(axis_len)[None]
        return ((pos >= start) & (pos < start + size)).to(device)

    if freq_width > 1:
        band = span(nf, nt if swapped_starts else nf, freq_width)  # (B, F)
        keep &= ~band[:, None, :, None]
    if time_width > 1:
        band = span(nt, nf if swapped_starts else nt, time_width)  # (B, T)
        keep &= ~band[:, None, None, :]
    return spec * keep
