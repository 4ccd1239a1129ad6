"""Small signal helpers the sound tools share: frame levels and frame masks as time segments.

`tag_sounds` turns per-patch label scores into segments, `measure_loudness` turns quiet
frames into silence segments and `count_events` reads the same frame levels, so the framing
and the merging rules live here once.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, Field

# Longest list any sound tool returns, so evidence stays compact.
MAX_ITEMS = 50
# Level reported for digital silence instead of -inf.
FLOOR_DB = -120.0


class Segment(BaseModel):
    """A stretch of the recording, in seconds from its start."""

    start_s: float = Field(description="start, seconds from the beginning of the audio")
    end_s: float = Field(description="end, seconds from the beginning of the audio")
    duration_s: float = Field(description="end minus start, seconds")


def segment(start: float, end: float) -> Segment:
    return Segment(start_s=round(start, 2), end_s=round(end, 2), duration_s=round(end - start, 2))


def frames(x: np.ndarray, size: int, hop: int) -> np.ndarray:
    """(n_frames, size) strided view; a signal shorter than one frame is zero-padded to one."""
    if len(x) < size:
        x = np.pad(x, (0, size - len(x)))
    return np.lib.stride_tricks.sliding_window_view(x, size)[::hop]


def magnitude_spectrum(framed: np.ndarray, n_fft: int) -> np.ndarray:
    """|rFFT| of each (windowed) frame, zero-padded to `n_fft`; scipy's FFT keeps float32
    and is 4-8x faster than numpy's here."""
    from scipy.fft import rfft

    return np.abs(rfft(framed, n_fft, axis=-1))


def power_db(power: np.ndarray | float) -> np.ndarray:
    """Mean-square power in dB (full-scale sine at 1.0 peak = -3 dB), floored for silence."""
    return np.maximum(10 * np.log10(np.maximum(power, 1e-30)), FLOOR_DB)


def frame_db(x: np.ndarray, size: int, hop: int) -> np.ndarray:
    """RMS level of each frame in dBFS."""
    f = frames(np.asarray(x, dtype=np.float64), size, hop)
    return power_db(np.mean(f * f, axis=1))


def mel_filterbank(n_fft: int, n_mels: int, fmin: float, fmax: float,
                   sample_rate: int = 16_000) -> np.ndarray:
    """(n_fft // 2 + 1, n_mels) HTK-mel triangles, built like tf.signal's
    linear_to_mel_weight_matrix (triangular in mel, unnormalised, DC bin zero): YAMNet's own."""
    def mel(hz: np.ndarray | float) -> np.ndarray:
        return 1127.0 * np.log1p(np.asarray(hz) / 700.0)

    bins = mel(np.linspace(0.0, sample_rate / 2, n_fft // 2 + 1)[1:])[:, None]
    edges = np.linspace(mel(fmin), mel(fmax), n_mels + 2)
    low, centre, high = edges[:-2], edges[1:-1], edges[2:]
    weights = np.maximum(0.0, np.minimum((bins - low) / (centre - low),
                                         (high - bins) / (high - centre)))
    return np.vstack([np.zeros((1, n_mels)), weights]).astype(np.float32)


def mask_segments(mask: np.ndarray, hop_s: float, *, frame_s: float | None = None,
                  min_duration_s: float = 0.0, max_gap_s: float = 0.0,
                  total_s: float | None = None) -> list[tuple[float, float]]:
    """Runs of True frames as (start, end) seconds.

    Frame i spans [i * hop_s, i * hop_s + frame_s) (frame_s defaults to hop_s). Runs closer
    than `max_gap_s` are merged first, then runs shorter than `min_duration_s` dropped; ends
    are clipped to `total_s`.
    """
    frame_s = hop_s if frame_s is None else frame_s
    padded = np.concatenate([[False], np.asarray(mask, dtype=bool), [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    runs: list[list[float]] = []
    for first, stop in zip(edges[::2], edges[1::2]):
        start, end = first * hop_s, (stop - 1) * hop_s + frame_s
        if runs and start - runs[-1][1] <= max_gap_s:
            runs[-1][1] = end
        else:
            runs.append([start, end])
    limit = np.inf if total_s is None else total_s
    return [(s, min(e, limit)) for s, e in runs if min(e, limit) - s >= min_duration_s]
