"""Notes that sound: per frame, the fundamentals among a spectrum's peaks (every peak that is a
harmonic of a lower one explained away), the notes held long enough, and basic-pitch as an
optional transcriber. `analyze_harmony` reads its notes and chords from here."""

from __future__ import annotations

from collections import Counter

import numpy as np

from .audio import SAMPLE_RATE
from .base import load_once
from .dsp import frames
from .music_common import hz_to_midi

FRAME, HOP, N_FFT = 4096, 2048, 16384
FRAME_S = HOP / SAMPLE_RATE
# Frames this far below the loudest one are silence.
LIVE_DB = -30.0
# Spectral peaks: within PEAK_DB of the frame's strongest, PROMINENCE_DB above the log-mean
# of the spectrum around them (noise peaks stand ~8 dB out, partials 30 dB and more).
PEAK_DB, PROMINENCE_DB, NEIGHBOURHOOD_BINS = -30.0, 15.0, 129
# A fundamental: within NOTE_DB of the strongest peak, 50 Hz-2.2 kHz, and not a harmonic
# (2nd-20th, within 50 cents) of a lower candidate (see `fundamentals`).
NOTE_DB, CANDIDATE_DB, MAX_HARMONIC, HARMONIC_CENTS = -20.0, -30.0, 20, 50.0
LOWEST_NOTE_HZ, HIGHEST_NOTE_HZ = 50.0, 2200.0
# A frame's peak more than this far from a key is no note (mistuned partial, noise).
NOTE_CENTS = 40.0
# Notes held under this share of the longest note's time are left out (stray partials).
NOTE_SHARE = 0.3
# Chords read pitch classes with harmonics up to this much stronger than their candidate
# explained away (see `fundamentals`): with the bass bonus of analyze_harmony, the benchmark
# cadences' root is right 92% of the time vs 71% with the strict note list; 94% vs 97% of
# the block chords.
CHORD_MAX_GAIN_DB = 6.0


# --- notes per frame ----------------------------------------------------------------------

FrameNotes = list[list[tuple[int, float]]]


def frame_notes(samples: np.ndarray) -> tuple[FrameNotes, FrameNotes]:
    """(MIDI key, amplitude) of the fundamentals in each 256 ms frame (128 ms hop): strict
    (for the note list) and lenient (for chords, see `fundamentals`)."""
    x = frames(np.asarray(samples, dtype=np.float32), FRAME, HOP)
    level = np.sqrt(np.mean(x.astype(np.float64) ** 2, axis=1))
    live = level > level.max(initial=0.0) * 10 ** (LIVE_DB / 20)
    strict: FrameNotes = [[] for _ in range(len(x))]
    lenient: FrameNotes = [[] for _ in range(len(x))]
    if not live.any():
        return strict, lenient
    magnitude = np.abs(np.fft.rfft(x[live] * np.hanning(FRAME).astype(np.float32), N_FFT))
    freqs = np.fft.rfftfreq(N_FFT, 1 / SAMPLE_RATE)
    for i, row in zip(np.flatnonzero(live), magnitude):
        peaks = spectral_peaks(row, freqs)
        strict[i] = _to_keys(fundamentals(peaks))
        lenient[i] = _to_keys(fundamentals(peaks, CHORD_MAX_GAIN_DB))
    return strict, lenient


def spectral_peaks(magnitude: np.ndarray, freqs: np.ndarray) -> list[tuple[float, float]]:
    """(Hz, magnitude) of prominent local maxima, frequency refined by a parabola."""
    from scipy.ndimage import uniform_filter1d

    log = np.log(magnitude + 1e-12)
    floor = uniform_filter1d(log, NEIGHBOURHOOD_BINS, mode="nearest")
    inner = magnitude[1:-1]
    loc = np.flatnonzero((inner > magnitude[:-2]) & (inner >= magnitude[2:])) + 1
    loc = loc[(magnitude[loc] > magnitude.max() * 10 ** (PEAK_DB / 20))
              & (log[loc] - floor[loc] > PROMINENCE_DB / 20 * np.log(10))]
    a, b, c = log[loc - 1], log[loc], log[loc + 1]
    shift = 0.5 * (a - c) / np.minimum(a - 2 * b + c, -1e-12)
    return list(zip(freqs[loc] + shift * (freqs[1] - freqs[0]), magnitude[loc]))


def fundamentals(peaks: list[tuple[float, float]],
                 max_gain_db: float | None = None) -> list[tuple[float, float]]:
    """Peaks, lowest first, that no lower candidate explains as one of its harmonics.

    A candidate is a peak left unexplained that is a note itself, or a weaker one whose
    2nd or 3rd harmonic is present too: a partial whose fundamental decayed faster (a
    guitar's E4 under its B5) is still explained, while a lone low thump (a piano's 66 Hz
    knock) does not swallow the chord above it. With `max_gain_db`, a 3rd or higher
    harmonic more than that much stronger than its candidate counts as a note of its own:
    chord tones that sit on the bass note's harmonics (C4 E4 G4 over C2) then survive.
    """
    peaks = sorted(p for p in peaks if p[0] >= LOWEST_NOTE_HZ)
    if not peaks:
        return []
    freq = np.array([f for f, _ in peaks])
    amp = np.array([a for _, a in peaks])
    number, harmonic = _harmonic_matrix(freq)
    explains = harmonic & (number <= MAX_HARMONIC)
    if max_gain_db is not None:
        explains &= (number < 3) | (amp[None, :] <= amp[:, None] * 10 ** (max_gain_db / 20))
    supported = (harmonic & (number <= 3)).any(axis=1)
    is_note = (amp >= amp.max() * 10 ** (NOTE_DB / 20)) & (freq <= HIGHEST_NOTE_HZ)
    may_explain = is_note | (supported & (amp >= amp.max() * 10 ** (CANDIDATE_DB / 20)))
    explained = np.zeros(len(peaks), dtype=bool)
    found = []
    for i in range(len(peaks)):
        if explained[i]:
            continue
        if is_note[i]:
            found.append(peaks[i])
        if may_explain[i]:
            explained |= explains[i]
    return found


def _harmonic_matrix(freq: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(h, is_harmonic): peak j is the h-th (h >= 2) harmonic of peak i within the tolerance."""
    ratio = freq[None, :] / freq[:, None]
    number = np.round(ratio)
    cents = 1200 * np.abs(np.log2(ratio / np.maximum(number, 1)))
    return number, (number >= 2) & (cents < HARMONIC_CENTS)


def _to_keys(found: list[tuple[float, float]]) -> list[tuple[int, float]]:
    keys = []
    for f, a in found:
        midi = float(hz_to_midi(f))
        if abs(midi - round(midi)) * 100 < NOTE_CENTS:
            keys.append((int(round(midi)), float(a)))
    return keys


def held_notes(per_frame: FrameNotes, min_s: float) -> list[tuple[int, float]]:
    """(key, seconds) of the notes held long enough, low to high."""
    count = Counter(key for notes in per_frame for key, _ in notes)
    if not count:
        return []
    longest = max(count.values())
    return sorted((key, n * FRAME_S) for key, n in count.items()
                  if n * FRAME_S >= min_s and n >= NOTE_SHARE * longest)


# --- basic-pitch (optional) ---------------------------------------------------------------

# basic-pitch's own defaults (onset 0.5, frame 0.3, notes >= 127.7 ms = 11 frames), and its
# notes kept from amplitude 0.5 (quieter ones are mostly octave ghosts: 57% -> 88% exact sets).
BASIC_PITCH_MIN_AMPLITUDE = 0.5
BASIC_PITCH_MIN_FRAMES = 11


@load_once
def load_basic_pitch():
    """The basic-pitch ICASSP 2022 model through onnxruntime (weights in the wheel)."""
    import logging
    import warnings

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # its import warns on the root logger: no TensorFlow, CoreML
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # pretty_midi imports pkg_resources
            from basic_pitch import ICASSP_2022_MODEL_PATH
            from basic_pitch.inference import Model
    finally:
        root.setLevel(level)
    return Model(ICASSP_2022_MODEL_PATH)


def basic_pitch_notes(samples: np.ndarray, min_s: float) -> list[tuple[int, float]]:
    """(key, seconds) from basic-pitch note events of amplitude >= 0.5, low to high."""
    import soxr
    from basic_pitch import note_creation
    from basic_pitch.constants import AUDIO_N_SAMPLES, AUDIO_SAMPLE_RATE, FFT_HOP
    from basic_pitch.inference import unwrap_output, window_audio_file

    model = load_basic_pitch()
    overlap_frames = 30
    overlap = overlap_frames * FFT_HOP
    audio = soxr.resample(samples, SAMPLE_RATE, AUDIO_SAMPLE_RATE).astype(np.float32)
    padded = np.concatenate([np.zeros(overlap // 2, np.float32), audio])
    outputs: dict[str, list] = {"note": [], "onset": [], "contour": []}
    for window, _ in window_audio_file(padded, AUDIO_N_SAMPLES - overlap):
        for name, value in model.predict(window[None]).items():
            outputs[name].append(value)
    unwrapped = {name: unwrap_output(np.concatenate(v), len(audio), overlap_frames)
                 for name, v in outputs.items()}
    _, events = note_creation.model_output_to_notes(
        unwrapped, onset_thresh=0.5, frame_thresh=0.3, min_note_len=BASIC_PITCH_MIN_FRAMES,
        min_freq=None, max_freq=None, multiple_pitch_bends=False, melodia_trick=True)
    seconds: Counter = Counter()
    for start, end, key, amplitude, _ in events:
        if amplitude >= BASIC_PITCH_MIN_AMPLITUDE:
            seconds[int(key)] += end - start
    return sorted((key, s) for key, s in seconds.items() if s >= min_s)
