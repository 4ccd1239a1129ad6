"""Basic signals and the clip conventions every renderer keeps.

Every clip is mono float32 at the requested rate (``SAMPLE_RATE`` by default) and faded in and
out (~20 ms), so the clip edges never read as onsets.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from audiorouter.tools.audio import SAMPLE_RATE

FADE_MS = 20.0
# Silence before the first sound of a rendered clip, so the fade-in never touches an onset.
LEAD_S = 0.1


def fade(x: np.ndarray, sr: int = SAMPLE_RATE, ms: float = FADE_MS, *,
         fade_in: bool = True) -> np.ndarray:
    """Raised-cosine fade in and out, so the clip edges are not onsets."""
    y = np.asarray(x, dtype=np.float32).copy()
    n = min(int(sr * ms / 1000), len(y) // 2)
    if n > 0:
        ramp = (0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, n))).astype(np.float32)
        if fade_in:
            y[:n] *= ramp
        y[len(y) - n:] *= ramp[::-1]
    return y


def silence(seconds: float, sr: int = SAMPLE_RATE) -> np.ndarray:
    """Digital zeros: gaps between parts and lead-ins."""
    return np.zeros(int(round(seconds * sr)), dtype=np.float32)


def tone(freq_hz: float, seconds: float, sr: int = SAMPLE_RATE, amplitude: float = 0.5) -> np.ndarray:
    """A pure sine, faded: the simplest pitch ground truth."""
    t = np.arange(int(round(seconds * sr))) / sr
    return fade(amplitude * np.sin(2 * np.pi * freq_hz * t), sr)


def white_noise(seconds: float, rng: np.random.Generator, sr: int = SAMPLE_RATE,
                amplitude: float = 0.1) -> np.ndarray:
    """Gaussian white noise with RMS `amplitude`, faded."""
    return fade(amplitude * rng.standard_normal(int(round(seconds * sr))), sr)


def concat(parts: list[np.ndarray], gap_s: float = 0.0, sr: int = SAMPLE_RATE) -> np.ndarray:
    """Join clips with `gap_s` of silence between them."""
    gap = silence(gap_s, sr)
    pieces: list[np.ndarray] = []
    for i, part in enumerate(parts):
        if i:
            pieces.append(gap)
        pieces.append(np.asarray(part, dtype=np.float32))
    return np.concatenate(pieces) if pieces else silence(0.0, sr)


def mix(signal: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """Add `noise` (tiled or cut to length) at `snr_db` below the signal's power.

    Both are scaled down together if the sum would clip, which keeps the SNR exact.
    """
    signal = np.asarray(signal, dtype=np.float64)
    noise = np.resize(np.asarray(noise, dtype=np.float64), signal.shape)
    p_signal, p_noise = np.mean(signal**2), np.mean(noise**2)
    if p_noise == 0:
        raise ValueError("noise is all zeros: there is no level to set an SNR with")
    out = signal + noise * np.sqrt(p_signal / (p_noise * 10 ** (snr_db / 10)))
    peak = np.max(np.abs(out), initial=0.0)
    return (out / peak * 0.99 if peak > 0.99 else out).astype(np.float32)


def write_wav(path: str | Path, x: np.ndarray, sr: int = SAMPLE_RATE) -> Path:
    """16-bit PCM wav, which every decoder and tool reads."""
    path = Path(path)
    sf.write(path, np.clip(x, -1.0, 1.0), sr, subtype="PCM_16")
    return path


def fit(x: np.ndarray, seconds: float, sr: int) -> np.ndarray:
    """Cut or zero-pad to exactly `seconds`."""
    n = int(round(seconds * sr))
    return np.pad(x[:n], (0, max(0, n - len(x))))


def load(path: Path, sr: int) -> np.ndarray:
    """Decode any file soundfile reads to mono float32 at `sr`."""
    x, file_sr = sf.read(path, dtype="float32", always_2d=True)
    x = x.mean(axis=1)
    return x if file_sr == sr else soxr.resample(x, file_sr, sr).astype(np.float32)


def normalize(x: np.ndarray, peak: float = 0.9) -> np.ndarray:
    """Scale to a fixed peak, so clip level carries no cue about the answer."""
    top = np.max(np.abs(x), initial=0.0)
    return x if top == 0 else (x * (peak / top)).astype(np.float32)
