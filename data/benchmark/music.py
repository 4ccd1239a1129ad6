"""Music skills: tempo of a drum loop, the name of a held note, chord quality, key and mode
of a cadence, and the family of the instrument playing a melody.

Pitched audio is FluidR3 rendered from MIDI we write, on the split's checked GM programs;
drum loops are played from the split's hydrogen kits.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from audiorouter.tools.music_common import note_name

from .. import synth
from .parts import drum_loop, kit_roles, melody, melody_keys
from .skill import Draft, Rendered, Skill, pick, sample, shuffled
from .sources import BASS, FAMILIES, Sources, kit_source, program_source

LOOP_S = 8.0  # every loop lasts this long, whatever its tempo
TEMPO_RANGE = (70, 180)
# Tempo options differ by at least 8%, so an estimate within 4% singles out the right one.
TEMPO_SPACING = 1.08
# Keys every checked program sounds at (synth.PITCHED_PROGRAMS: C3-G5).
LOW_KEY, HIGH_KEY = 48, 79
CHORD_LABELS = {"major": "major", "minor": "minor", "diminished": "diminished",
                "augmented": "augmented", "sus2": "suspended 2nd", "sus4": "suspended 4th",
                "dominant7": "dominant 7th", "major7": "major 7th", "minor7": "minor 7th"}
# Conventional key spellings by tonic pitch class.
MAJOR_TONICS = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
MINOR_TONICS = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B")


def _chordal(src: Sources) -> tuple[int, ...]:
    """The split's programs that carry chords clearly (no basses)."""
    return tuple(p for p in src.programs if p not in FAMILIES[BASS])


# --- tempo --------------------------------------------------------------------------------

def _tempo_options(rng: np.random.Generator) -> list[int]:
    """Four BPM values TEMPO_SPACING apart; often with a half / double and a near neighbour.

    Octave and near-miss options are what a beat tracker gets wrong, so they make the
    wrong answers plausible; which option is the answer is drawn afterwards.
    """
    low, high = TEMPO_RANGE
    anchor = int(rng.integers(80, 161))
    options = [anchor]

    def offer(bpm: float) -> None:
        bpm = int(round(bpm))
        if low <= bpm <= high and all(max(bpm, o) / min(bpm, o) >= TEMPO_SPACING
                                      for o in options):
            options.append(bpm)

    if rng.random() < 0.5:
        offer(anchor * pick(rng, (0.5, 2.0)))
    if rng.random() < 0.5:
        offer(anchor * (1 + pick(rng, (-1, 1)) * rng.uniform(0.08, 0.15)))
    while len(options) < 4:
        offer(rng.integers(low, high + 1))
    return sorted(options)


def _draw_tempo(rng: np.random.Generator, src: Sources) -> Draft:
    options = _tempo_options(rng)
    choices = [f"{t} BPM" for t in options]
    answer = pick(rng, choices)
    kit = pick(rng, [k for k in src.kits if kit_roles(k)])
    return Draft(choices, answer, {"bpm": options[choices.index(answer)], "kit": kit},
                 [kit_source(kit)])


def _render_tempo(spec: dict[str, Any], rng: np.random.Generator) -> Rendered:
    return drum_loop(spec["kit"], spec["bpm"], LOOP_S, rng), {}


# --- note name ----------------------------------------------------------------------------

def _draw_note(rng: np.random.Generator, src: Sources) -> Draft:
    """Options: four keys within a fifth; often one swapped for an octave neighbour."""
    low = int(rng.integers(LOW_KEY, HIGH_KEY - 5))
    keys = sample(rng, list(range(low, low + 7)), 4)
    octave = keys[0] + pick(rng, (-12, 12))
    if rng.random() < 0.5 and LOW_KEY <= octave <= HIGH_KEY:
        keys[3] = octave
    keys.sort()
    choices = [note_name(k) for k in keys]
    answer = pick(rng, choices)
    program = pick(rng, src.programs)
    return Draft(choices, answer, {"midi": keys[choices.index(answer)], "program": program},
                 [program_source(program)])


def _render_note(spec: dict[str, Any], rng: np.random.Generator) -> Rendered:
    return synth.note_clip(spec["midi"], spec["program"], seconds=2.0), {}


# --- chord quality ------------------------------------------------------------------------

def _draw_chord(rng: np.random.Generator, src: Sources) -> Draft:
    qualities = sample(rng, list(CHORD_LABELS), 4)
    choices = [CHORD_LABELS[q] for q in qualities]
    answer = pick(rng, choices)
    program = pick(rng, _chordal(src))
    spec = {"quality": qualities[choices.index(answer)],
            "root_midi": int(rng.integers(LOW_KEY, 61)), "program": program}
    return Draft(choices, answer, spec, [program_source(program)])


def _render_chord(spec: dict[str, Any], rng: np.random.Generator) -> Rendered:
    return synth.chord_clip(spec["root_midi"], spec["quality"], spec["program"],
                            seconds=2.5), {}


# --- key and mode -------------------------------------------------------------------------

def _key_label(tonic_pc: int, mode: str) -> str:
    """'Eb major', 'C# minor'."""
    return f"{(MAJOR_TONICS if mode == 'major' else MINOR_TONICS)[tonic_pc % 12]} {mode}"


def _draw_key(rng: np.random.Generator, src: Sources) -> Draft:
    """Options: a key, its relative, its parallel and a fifth-related key."""
    tonic, mode = int(rng.integers(12)), str(pick(rng, ("major", "minor")))
    other = "minor" if mode == "major" else "major"
    relative = (tonic + (9 if mode == "major" else 3)) % 12
    keys = shuffled(rng, [(tonic, mode), (relative, other), (tonic, other),
                          ((tonic + pick(rng, (5, 7))) % 12, mode)])
    choices = [_key_label(*k) for k in keys]
    answer = pick(rng, choices)
    tonic, mode = keys[choices.index(answer)]
    program = pick(rng, _chordal(src))
    spec = {"tonic_pc": tonic, "mode": mode, "program": program,
            "bpm": int(rng.integers(90, 131))}
    return Draft(choices, answer, spec, [program_source(program)])


def _render_key(spec: dict[str, Any], rng: np.random.Generator) -> Rendered:
    return synth.cadence_clip(spec["tonic_pc"], spec["mode"], spec["program"], spec["bpm"],
                              rng, bars=4), {}


# --- instrument family --------------------------------------------------------------------

def _draw_family(rng: np.random.Generator, src: Sources) -> Draft:
    choices = sample(rng, list(FAMILIES), 4)
    answer = pick(rng, choices)
    program = pick(rng, src.families[answer])
    low, high = (LOW_KEY, 62) if answer == BASS else (57, 76)
    spec = {"program": program, "keys": melody_keys(rng, low, high, int(rng.integers(5, 9))),
            "note_s": round(float(rng.uniform(0.25, 0.45)), 2)}
    return Draft(choices, answer, spec, [program_source(program)])


def _render_family(spec: dict[str, Any], rng: np.random.Generator) -> Rendered:
    return melody(spec["program"], spec["keys"], spec["note_s"]), {}


MUSIC_SKILLS = (
    Skill("tempo", "music", "Rhythm", "tempo",
          ("What is the tempo of this drum beat?", "How fast is the beat, in beats per minute?",
           "Estimate the tempo of the groove."),
          _draw_tempo, _render_tempo, difficulty="hard"),
    Skill("note_name", "music", "Pitch", "note name",
          ("Which note is played?", "What is the pitch of this note?", "Name the note you hear."),
          _draw_note, _render_note, difficulty="hard"),
    Skill("chord_quality", "music", "Harmony", "chord quality",
          ("What is the quality of this chord?", "Which kind of chord is played?",
           "Which chord type do you hear?"),
          _draw_chord, _render_chord, difficulty="hard"),
    Skill("key_mode", "music", "Harmony", "key and mode",
          ("What key is this music in?", "Which key and mode does this passage use?",
           "Identify the key of the music."),
          _draw_key, _render_key, difficulty="hard"),
    Skill("instrument_family", "music", "Timbre", "instrument family",
          ("Which family of instruments plays the melody?", "What kind of instrument is playing?",
           "Which instrument group do you hear?"),
          _draw_family, _render_family),
)
