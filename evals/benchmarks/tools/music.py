"""Music tool benchmark: pitch, tempo, key, chords and notes, with ground truth by construction.

Every clip is rendered by fluidsynth from MIDI we write (data/synth/), so the sounding
notes, tempo, key and chords are known; speech pitch comes from flite / espeak-ng voices of
measured sex. Tasks:

* `analyze_pitch`: median f0 of held notes C2-C7 on every checked GM instrument and of pure
  tones 80-2000 Hz (within 50 cents), speech on the right side of 157 Hz for male and
  female voices, and the note sequence of short melodies;
* `analyze_rhythm`: tempo of drum loops (8 GM kits) and pitched cadences at 60-180 BPM,
  exact (within 4%) and up to a half/double error;
* `analyze_harmony`: key and mode of cadences in all 24 keys, root and quality of block
  chords of 9 qualities, the exact note set of those chords, chord roots over time in
  cadences.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from audiorouter.data import synth
from audiorouter.data.texts import PITCH_SENTENCES
from audiorouter.tools.music_common import note_name, pitch_class

from .tasks import Case, ToolTask

PITCHED = tuple(sorted(synth.PITCHED_PROGRAMS.values()))
# GM drum kits in FluidR3 (bank 128): standard, room, power, electronic, TR-808, jazz, brush,
# orchestra.
DRUM_KITS = (0, 8, 16, 24, 25, 32, 40, 48)
# Male voices sit below, female ones above this median f0 (synth.VOICE_SEX: < 150 / > 165 Hz).
SEX_SPLIT_HZ = 157.0
LOOP_SECONDS = 10.0


def cents(hz: float | None, midi: float) -> float:
    """Distance of `hz` from MIDI key `midi` in cents (inf without a pitch)."""
    if not hz:
        return float("inf")
    return float(1200 * np.log2(hz / (440.0 * 2 ** ((midi - 69) / 12))))


def _audible(x: np.ndarray) -> bool:
    """Some instruments go silent outside their range: such renders are redrawn."""
    return float(np.max(np.abs(x), initial=0.0)) > 1e-3


# --- analyze_pitch --------------------------------------------------------------------------

def note_cases(rng: np.random.Generator, n: int) -> list[Case]:
    """Held notes (2 s) of a random checked instrument, keys C2-C7; truth = MIDI key."""
    cases = []
    while len(cases) < n:
        key, program = int(rng.integers(36, 97)), int(rng.choice(PITCHED))
        x = synth.note_clip(key, program)
        if _audible(x):
            cases.append(Case(f"note {key} program {program}", x, key))
    return cases


def tone_cases(rng: np.random.Generator, n: int) -> list[Case]:
    """1 s sines, frequency log-uniform 80-2000 Hz; truth = fractional MIDI key."""
    cases = []
    for _ in range(n):
        hz = float(np.exp(rng.uniform(np.log(80), np.log(2000))))
        cases.append(Case(f"tone {hz:.1f} Hz", synth.tone(hz, 1.0),
                          69 + 12 * np.log2(hz / 440.0)))
    return cases


def score_within_50_cents(output: Any, truth: float) -> float:
    return float(abs(cents(output.median_hz, truth)) <= 50)


def speech_pitch_cases(rng: np.random.Generator, n: int) -> list[Case]:
    """A sentence by a voice of known sex, alternating male and female; truth = sex."""
    by_sex = {sex: sorted(v for v, s in synth.VOICE_SEX.items() if s == sex)
              for sex in ("male", "female")}
    cases = []
    for i in range(n):
        sex = ("male", "female")[i % 2]
        voice = str(rng.choice(by_sex[sex]))
        cases.append(Case(f"{sex} {voice}", synth.speak(str(rng.choice(PITCH_SENTENCES)), voice=voice),
                          sex))
    return cases


def score_speech_sex(output: Any, truth: str) -> float:
    if output.median_hz is None:
        return 0.0
    return float((output.median_hz < SEX_SPLIT_HZ) == (truth == "male"))


def melody_cases(rng: np.random.Generator, n: int) -> list[Case]:
    """3-6 notes (keys G3-C6, 0.3-0.5 s each, short gaps); truth = the note names in order."""
    cases = []
    while len(cases) < n:
        program = int(rng.choice(PITCHED))
        keys = [int(k) for k in rng.integers(55, 85, size=int(rng.integers(3, 7)))]
        keys = [k for i, k in enumerate(keys) if i == 0 or k != keys[i - 1]]  # repeats merge
        notes, start = [], synth.LEAD_S
        for key in keys:
            length = float(rng.uniform(0.3, 0.5))
            notes.append(synth.Note(start, length * 0.85, key))
            start += length
        x = synth.render_notes(notes, program=program)
        if _audible(x):
            cases.append(Case(f"melody program {program}", x, [note_name(k) for k in keys]))
    return cases


def score_melody(output: Any, truth: list[str]) -> float:
    return float([n.note for n in output.notes] == truth)


PITCH_NOTES = ToolTask(
    name="pitch of held notes C2-C7", tool="analyze_pitch",
    metric="share with the median f0 within 50 cents of the key",
    make_cases=note_cases, score=score_within_50_cents, goal=">= 0.95")
PITCH_TONES = ToolTask(
    name="pitch of pure tones 80-2000 Hz", tool="analyze_pitch",
    metric="share with the median f0 within 50 cents", make_cases=tone_cases,
    score=score_within_50_cents, goal=">= 0.95")
PITCH_SPEECH = ToolTask(
    name="speech pitch, male vs female voices", tool="analyze_pitch",
    metric=f"share with the median f0 on the voice's side of {SEX_SPLIT_HZ:.0f} Hz",
    make_cases=speech_pitch_cases, score=score_speech_sex, goal=">= 0.95")
PITCH_MELODY = ToolTask(
    name="note sequence of short melodies", tool="analyze_pitch",
    metric="share with exactly the played notes in order", make_cases=melody_cases,
    score=score_melody, goal=">= 0.8")


# --- analyze_rhythm -------------------------------------------------------------------------

def _bars(tempo: float, minimum: int) -> int:
    """Bars of 4/4 that last about LOOP_SECONDS at `tempo`."""
    return max(minimum, int(round(LOOP_SECONDS * tempo / 240)))


def drum_loop_cases(rng: np.random.Generator, n: int) -> list[Case]:
    """~10 s rock grooves on a random GM kit, tempo uniform 60-180 BPM; truth = BPM."""
    cases = []
    for _ in range(n):
        tempo, kit = round(float(rng.uniform(60, 180)), 1), int(rng.choice(DRUM_KITS))
        cases.append(Case(f"drums kit {kit} {tempo} BPM",
                          synth.drum_loop(tempo, _bars(tempo, 2), rng, kit_program=kit), tempo))
    return cases


def pitched_loop_cases(rng: np.random.Generator, n: int) -> list[Case]:
    """Cadences with bass and quarter-note melody, no drums, 60-180 BPM; truth = BPM."""
    cases = []
    for _ in range(n):
        tempo, program = round(float(rng.uniform(60, 180)), 1), int(rng.choice(PITCHED))
        x = synth.cadence_clip(int(rng.integers(12)), str(rng.choice(["major", "minor"])),
                               program, tempo, rng, bars=_bars(tempo, 4))
        cases.append(Case(f"cadence program {program} {tempo} BPM", x, tempo))
    return cases


def score_tempo(output: Any, truth: float) -> float:
    return float(output.tempo_bpm is not None and abs(output.tempo_bpm / truth - 1) <= 0.04)


def score_tempo_octave(output: Any, truth: float) -> float:
    """Right within 4% of the tempo, its half or its double."""
    if output.tempo_bpm is None:
        return 0.0
    return float(any(abs(output.tempo_bpm / (truth * k) - 1) <= 0.04 for k in (0.5, 1, 2)))


TEMPO_DRUMS = ToolTask(
    name="tempo of drum loops 60-180 BPM", tool="analyze_rhythm",
    metric="share within 4% of the tempo", make_cases=drum_loop_cases, score=score_tempo,
    goal=">= 0.9")
TEMPO_DRUMS_OCTAVE = ToolTask(
    name="tempo of drum loops, half/double allowed", tool="analyze_rhythm",
    metric="share within 4% of the tempo, its half or double", make_cases=drum_loop_cases,
    score=score_tempo_octave, goal=">= 0.98")
TEMPO_PITCHED = ToolTask(
    name="tempo of pitched loops 60-180 BPM", tool="analyze_rhythm",
    metric="share within 4% of the tempo", make_cases=pitched_loop_cases, score=score_tempo,
    goal=">= 0.9")
TEMPO_PITCHED_OCTAVE = ToolTask(
    name="tempo of pitched loops, half/double allowed", tool="analyze_rhythm",
    metric="share within 4% of the tempo, its half or double", make_cases=pitched_loop_cases,
    score=score_tempo_octave, goal=">= 0.98")


# --- analyze_harmony ------------------------------------------------------------------------

def cadence_truth(tonic_pc: int, mode: str, tempo: float, bars: int) -> list[tuple]:
    """(start, end, root pitch class) of each bar: I-IV-V-I (i-iv-V-i), the last on I."""
    beat = 4 * 60.0 / tempo
    scale = {"major": (0, 2, 4, 5, 7, 9, 11), "minor": (0, 2, 3, 5, 7, 8, 11)}[mode]
    degrees = [0 if bar == bars - 1 else (0, 3, 4, 0)[bar % 4] for bar in range(bars)]
    return [(synth.LEAD_S + bar * beat, synth.LEAD_S + (bar + 1) * beat,
             (tonic_pc + scale[d]) % 12) for bar, d in enumerate(degrees)]


def cadence_cases(rng: np.random.Generator, n: int) -> list[Case]:
    """4-bar cadences, the 24 keys in turn from a random start, 80-140 BPM.

    Truth: tonic pitch class, mode and the root of every bar.
    """
    cases = []
    first = int(rng.integers(24))
    for i in range(n):
        key = (first + i) % 24
        tonic, mode = key % 12, ("major", "minor")[key // 12]
        tempo, program = float(rng.uniform(80, 140)), int(rng.choice(PITCHED))
        x = synth.cadence_clip(tonic, mode, program, tempo, rng, bars=4)
        cases.append(Case(f"cadence {tonic} {mode} program {program}", x,
                          {"tonic": tonic, "mode": mode,
                           "bars": cadence_truth(tonic, mode, tempo, 4)}))
    return cases


def score_key(output: Any, truth: dict) -> float:
    return float(output.key is not None and pitch_class(output.key) == truth["tonic"]
                 and output.mode == truth["mode"])


def score_chord_roots_over_time(output: Any, truth: dict, step_s: float = 0.05) -> float:
    """Share of the cadence's time (sampled every 50 ms) whose chord has the bar's root."""
    right = total = 0
    for start, end, root in truth["bars"]:
        for t in np.arange(start, end, step_s):
            total += 1
            span = next((c for c in output.chords if c.start_s <= t < c.end_s), None)
            right += span is not None and pitch_class(span.root) == root
    return right / total


def chord_cases(rng: np.random.Generator, n: int) -> list[Case]:
    """Root-position block chords (2 s), roots C3-B4, qualities in turn; truth = root,
    quality and the MIDI keys."""
    qualities = list(synth.CHORD_INTERVALS)
    cases = []
    first = int(rng.integers(len(qualities)))
    while len(cases) < n:
        quality = qualities[(first + len(cases)) % len(qualities)]
        root, program = int(rng.integers(48, 72)), int(rng.choice(PITCHED))
        x = synth.chord_clip(root, quality, program)
        if _audible(x):
            keys = [root + i for i in synth.CHORD_INTERVALS[quality]]
            cases.append(Case(f"{quality} on {root} program {program}", x,
                              {"root": root % 12, "quality": quality, "keys": keys}))
    return cases


def score_chord(output: Any, truth: dict) -> float:
    """The chord sounding longest has the right root and quality."""
    if not output.chords:
        return 0.0
    main = max(output.chords, key=lambda c: c.end_s - c.start_s)
    return float(pitch_class(main.root) == truth["root"] and main.quality == truth["quality"])


def score_note_set(output: Any, truth: dict) -> float:
    return float([n.note for n in output.notes] == [note_name(k) for k in truth["keys"]])


KEY_CADENCES = ToolTask(
    name="key and mode of cadences, 24 keys", tool="analyze_harmony",
    metric="share with tonic and mode right", make_cases=cadence_cases, score=score_key,
    goal=">= 0.85")
CHORD_ROOTS_CADENCES = ToolTask(
    name="chord roots over time in cadences", tool="analyze_harmony",
    metric="share of time whose chord root is the bar's", make_cases=cadence_cases,
    score=score_chord_roots_over_time, goal=">= 0.8")
CHORD_QUALITY = ToolTask(
    name="root and quality of block chords", tool="analyze_harmony",
    metric="share with root and quality (of 9) right", make_cases=chord_cases,
    score=score_chord, goal=">= 0.85")
NOTE_SETS = ToolTask(
    name="notes of block chords", tool="analyze_harmony",
    metric="share with exactly the chord's notes (with octaves)", make_cases=chord_cases,
    score=score_note_set, goal=">= 0.8")

TASKS: list[ToolTask] = [
    PITCH_NOTES, PITCH_TONES, PITCH_SPEECH, PITCH_MELODY,
    TEMPO_DRUMS, TEMPO_DRUMS_OCTAVE, TEMPO_PITCHED, TEMPO_PITCHED_OCTAVE,
    KEY_CADENCES, CHORD_ROOTS_CADENCES, CHORD_QUALITY, NOTE_SETS,
]
