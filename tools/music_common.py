"""What the music tools share: note names, quiet essentia, resampling for essentia.

`analyze_pitch` names the median f0 and its note steps, `analyze_harmony` names detected
notes and chord roots, `analyze_rhythm` and `analyze_harmony` call essentia: the naming
rules and the essentia set-up live here once.
"""

from __future__ import annotations

import math

import numpy as np

from .audio import SAMPLE_RATE

NOTE_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
A4_HZ = 440.0
# Longest list any music tool returns, so evidence stays compact.
MAX_ITEMS = 50


def hz_to_midi(hz: float | np.ndarray) -> float | np.ndarray:
    """Fractional MIDI key (A4 = 69) of a frequency."""
    return 69.0 + 12.0 * np.log2(np.asarray(hz, dtype=np.float64) / A4_HZ)


def midi_to_hz(midi: float) -> float:
    return A4_HZ * 2.0 ** ((midi - 69.0) / 12.0)


FLAT_SPELLING = {"C#": "Db", "D#": "Eb", "F#": "Gb", "G#": "Ab", "A#": "Bb"}


def both_spellings(pitch_name: str) -> str:
    """'D#' -> 'D#/Eb': a reader (or reasoner) who thinks in flats finds the key too."""
    flat = FLAT_SPELLING.get(pitch_name)
    return f"{pitch_name}/{flat}" if flat else pitch_name


def note_name(midi: int) -> str:
    """'C4' for 60, 'A#3' for 58 (sharps, scientific octave numbers)."""
    return f"{NOTE_NAMES[midi % 12]}{midi // 12 - 1}"


def note_with_cents(hz: float) -> str:
    """Nearest note and the offset from it: 'A4 +3 cents'."""
    midi = float(hz_to_midi(hz))
    nearest = int(round(midi))
    return f"{note_name(nearest)} {round(100 * (midi - nearest)):+d} cents"


def pitch_class(name: str) -> int:
    """0-11 of a note name ('C#', 'Db', 'Bb'); essentia spells keys with flats or sharps."""
    flats = {"Db": "C#", "Eb": "D#", "Gb": "F#", "Ab": "G#", "Bb": "A#", "Cb": "B", "Fb": "E"}
    return NOTE_NAMES.index(flats.get(name, name))


def essentia_standard():
    """`essentia.standard` with its info and warning logs off (they flood stderr)."""
    import essentia

    essentia.log.infoActive = False  # before the import below, which logs at info level
    essentia.log.warningActive = False
    import essentia.standard as es

    return es


def resample_for_essentia(samples: np.ndarray, rate: int = 44_100) -> np.ndarray:
    """16 kHz clip samples at `rate` (essentia's rhythm models assume 44.1 kHz), float32."""
    import soxr

    return soxr.resample(samples, SAMPLE_RATE, rate).astype(np.float32)


def round_or_none(value: float | None, digits: int = 2) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), digits)
