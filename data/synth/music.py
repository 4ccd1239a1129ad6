"""Music with known pitch, chord, key and tempo: notes, chords, cadences and drum grooves."""

from __future__ import annotations

from typing import Literal

import numpy as np

from audiorouter.tools.audio import SAMPLE_RATE

from .midi import CLOSED_HAT, CRASH, KICK, OPEN_HAT, RELEASE_S, SNARE, Note, render_notes
from .signals import LEAD_S, fade, fit, normalize

CHORD_INTERVALS: dict[str, tuple[int, ...]] = {
    "major": (0, 4, 7),
    "minor": (0, 3, 7),
    "diminished": (0, 3, 6),
    "augmented": (0, 4, 8),
    "sus2": (0, 2, 7),
    "sus4": (0, 5, 7),
    "dominant7": (0, 4, 7, 10),
    "major7": (0, 4, 7, 11),
    "minor7": (0, 3, 7, 10),
}
# Melody range in scale steps above the C4-octave tonic: from the third to the 12th.
_MELODY_STEPS = (2, 11)
_SCALES = {"major": (0, 2, 4, 5, 7, 9, 11), "minor": (0, 2, 3, 5, 7, 8, 11)}  # harmonic minor


def note_clip(pitch_midi: int, program: int, seconds: float = 2.0, sr: int = SAMPLE_RATE) -> np.ndarray:
    """One held note, `seconds` long in total (lead-in and release included)."""
    hold = max(seconds - LEAD_S - RELEASE_S, 0.1)
    audio = render_notes([Note(LEAD_S, hold, pitch_midi)], program=program, sr=sr)
    return fade(normalize(fit(audio, seconds, sr)), sr)


def chord_clip(root_midi: int, quality: str, program: int, seconds: float = 2.0,
               sr: int = SAMPLE_RATE) -> np.ndarray:
    """A block chord in root position on `root_midi`, `seconds` long in total."""
    if quality not in CHORD_INTERVALS:
        raise ValueError(f"unknown chord quality {quality!r}: use one of {list(CHORD_INTERVALS)}")
    hold = max(seconds - LEAD_S - RELEASE_S, 0.1)
    notes = [Note(LEAD_S, hold, root_midi + i, 90) for i in CHORD_INTERVALS[quality]]
    return fade(normalize(fit(render_notes(notes, program=program, sr=sr), seconds, sr)), sr)


def cadence_clip(tonic_pc: int, mode: Literal["major", "minor"], program: int,
                 tempo_bpm: float, rng: np.random.Generator, *, bars: int = 8,
                 sr: int = SAMPLE_RATE) -> np.ndarray:
    """I-IV-V-I (major) or i-iv-V-i (minor) in 4/4, one chord a bar, with bass and melody.

    Chords, a root bass on beats 1 and 3 and a stepwise quarter-note melody through the
    (harmonic minor) scale make the key unambiguous; the last bar always rests on the tonic.
    """
    if mode not in _SCALES:
        raise ValueError(f"mode must be 'major' or 'minor', not {mode!r}")
    if bars < 4:
        raise ValueError("a cadence needs at least 4 bars")
    beat = 60.0 / tempo_bpm
    notes: list[Note] = []
    melody_degree = 7  # start near the tonic's octave
    for bar in range(bars):
        start = LEAD_S + bar * 4 * beat
        degree = 0 if bar == bars - 1 else (0, 3, 4, 0)[bar % 4]
        triad = _triad(tonic_pc, mode, degree)
        notes += [Note(start, 4 * beat * 0.95, key, 70) for key in triad]
        notes += [Note(start + b * beat, 2 * beat * 0.9, 36 + (triad[0] - 36) % 12, 90)
                  for b in (0, 2)]
        if bar == bars - 1:
            notes.append(Note(start, 4 * beat * 0.95, _scale_key(tonic_pc, mode, 7), 100))
            continue
        melody_degree = _chord_third_near(melody_degree, degree)
        for b in range(4):
            key = _scale_key(tonic_pc, mode, melody_degree)
            notes.append(Note(start + b * beat, beat * 0.9, key, 100))
            melody_degree = int(np.clip(melody_degree + rng.choice((-1, 1)), *_MELODY_STEPS))
    return normalize(render_notes(notes, program=program, sr=sr))


def _scale_key(tonic_pc: int, mode: str, step: int) -> int:
    """MIDI key of scale `step` (0 = tonic, 7 = its octave) above the tonic from C4 up."""
    return 60 + tonic_pc % 12 + 12 * (step // 7) + _SCALES[mode][step % 7]


def _triad(tonic_pc: int, mode: str, degree: int) -> list[int]:
    """Root-position triad on scale `degree`, root between G3 and F#4, third doubled above.

    The doubled third weighs the mode-defining notes, which key finders otherwise miss
    on quickly decaying instruments such as guitar.
    """
    keys = [_scale_key(tonic_pc, mode, degree + s) for s in (0, 2, 4, 9)]
    return [k - 12 for k in keys] if keys[0] > 66 else keys


def _chord_third_near(step: int, degree: int) -> int:
    """The third of the triad on `degree` nearest `step` in the melody range.

    Starting each bar on the chord's third puts the mode-defining notes on strong beats.
    """
    low, high = _MELODY_STEPS
    thirds = [s for s in range(low, high + 1) if (s - degree) % 7 == 2]
    return min(thirds, key=lambda s: abs(s - step))


def drum_loop(tempo_bpm: float, bars: int, rng: np.random.Generator, kit_program: int = 0,
              sr: int = SAMPLE_RATE) -> np.ndarray:
    """A 4/4 rock groove on the GM drum kit: kick on 1 and 3, snare on 2 and 4, eighth hats.

    The rng adds syncopated kicks and open hats and varies velocities; the tempo is exact and
    the clip lasts LEAD_S + bars * 4 beats.
    """
    beat = 60.0 / tempo_bpm
    notes = [Note(LEAD_S, 0.1, CRASH, 100)]
    for bar in range(bars):
        for eighth in range(8):
            t = LEAD_S + (bar * 4 + eighth / 2) * beat
            on_beat = eighth % 2 == 0
            hat = OPEN_HAT if eighth == 7 and rng.random() < 0.25 else CLOSED_HAT
            notes.append(Note(t, 0.1, hat, int(rng.integers(85, 110) if on_beat
                                               else rng.integers(55, 80))))
            if eighth in (0, 4) or (eighth in (5, 7) and rng.random() < 0.3):
                notes.append(Note(t, 0.1, KICK, int(rng.integers(100, 121))))
            if eighth in (2, 6):
                notes.append(Note(t, 0.1, SNARE, int(rng.integers(100, 121))))
    audio = render_notes(notes, program=kit_program, sr=sr, drums=True)
    return fade(normalize(fit(audio, LEAD_S + bars * 4 * beat, sr)), sr)
