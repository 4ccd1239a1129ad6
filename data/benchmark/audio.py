"""Small signal helpers the skills share: decoding real files once, levels, lengths, joins."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from audiorouter.tools.audio import SAMPLE_RATE

from ..synth import fade, silence


@lru_cache(maxsize=1024)
def load(path: str | Path) -> np.ndarray:
    """A file as mono float32 at 16 kHz, decoded once per process (read-only: copy to edit)."""
    x, sr = sf.read(path, dtype="float32", always_2d=True)
    x = x.mean(axis=1)
    if sr != SAMPLE_RATE:
        x = soxr.resample(x, sr, SAMPLE_RATE).astype(np.float32)
    x.flags.writeable = False
    return x


def normalize(x: np.ndarray, peak: float = 0.9) -> np.ndarray:
    """Scale to a fixed peak, so the level of a clip says nothing about its answer."""
    top = float(np.max(np.abs(x), initial=0.0))
    return np.asarray(x, dtype=np.float32) * np.float32(peak / top if top else 1.0)


def db(x: np.ndarray, gain_db: float) -> np.ndarray:
    """`x` louder or quieter by `gain_db` decibels."""
    return (np.asarray(x, dtype=np.float32) * np.float32(10 ** (gain_db / 20))).astype(np.float32)


def fit(x: np.ndarray, seconds: float) -> np.ndarray:
    """Cut or zero-pad to exactly `seconds`, fading the end so a cut is no click."""
    n = int(round(seconds * SAMPLE_RATE))
    return fade(np.pad(np.asarray(x, dtype=np.float32)[:n], (0, max(0, n - len(x)))))


def active_seconds(x: np.ndarray, floor_db: float = -35.0) -> float:
    """Seconds from the first to the last 20 ms frame within `floor_db` of the loudest."""
    hop = SAMPLE_RATE // 100
    frames = np.lib.stride_tricks.sliding_window_view(x, 2 * hop)[::hop]
    rms = np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1) + 1e-12)
    loud = np.nonzero(20 * np.log10(rms / rms.max()) > floor_db)[0]
    return float((loud[-1] - loud[0] + 2) * hop / SAMPLE_RATE)


def join(parts: list[np.ndarray], gaps_s: list[float], lead_s: float = 0.2) -> np.ndarray:
    """Parts in order with the given silences between them, a lead-in and a tail, faded."""
    if len(gaps_s) != len(parts) - 1:
        raise ValueError("join() needs one gap fewer than parts")
    pieces = [silence(lead_s)]
    for i, part in enumerate(parts):
        pieces += [np.asarray(part, dtype=np.float32), silence(gaps_s[i] if i < len(gaps_s)
                                                              else lead_s)]
    return fade(np.concatenate(pieces))
