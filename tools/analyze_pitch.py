"""`analyze_pitch`: how high the voice or the instrument is, and where the pitch goes.

Measured against ground truth (evals/benchmarks/tools/music.py), share of clips whose median f0
lies within 50 cents of the truth, and seconds per audio second:

* Praat autocorrelation (parselmouth `to_pitch_ac`, 50-2200 Hz), on 150 held FluidR3
  notes C2-C7 of 12 instruments: all right but the 13 of the drawbar organ (it sounds two
  octaves below its key), 0.005 s/s per pass; pure tones 80-2300 Hz: all;
* Praat SHS: same but one more organ note; cross-correlation: same, 10x slower;
* essentia PitchYinFFT: 74% (octave-down errors above C6); PitchMelodia: 78%;
* librosa yin / pyin: segfault in this environment (a corrupt numba cache in the venv).

The default range is wide (50-2200 Hz) so a 660 Hz or C7 tone is not halved (Praat's
default 600 Hz ceiling does that). A second pass, restricted to 2 octaves around the first
pass's median and with a stronger octave cost, removes the octave jumps a wide range
invites: fricatives read as 1.7 kHz "pitch" in speech, and where one note's release
overlaps the next, their common sub-harmonic (C2 under C4 + E4) wins without it (melodies
on 10 instruments: 81% -> 93% of frames right). Contour: a line fit of semitones over time. Note
steps: frames quantised to semitones with hysteresis, steady runs kept, reported when most
voiced time sits on them (speech and glides give none).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from .audio import SAMPLE_RATE, Clip
from .base import ToolArgs, ToolOutput, audio_tool
from .music_common import MAX_ITEMS, hz_to_midi, note_name, note_with_cents, round_or_none

TIME_STEP_S = 0.01
# Second pass: this many octaves either side of the first pass's median (1.5 cut off the top
# notes of wide melodies: 72% -> 82% of melodies right with 2), and a stronger
# preference for the higher of two octave candidates (Praat's octave cost, default 0.01):
# where a note's release overlaps the next one, their common sub-harmonic otherwise wins.
# The wide first pass keeps a low cost: at 0.1 it takes fricatives for a 680 Hz male voice.
ADAPTIVE_OCTAVES = 2.0
OCTAVE_COST_WIDE, OCTAVE_COST_NARROW = 0.03, 0.1
# Contour: flat below this spread (semitones); a trend needs this much change and line fit.
FLAT_STD_ST, TREND_MIN_ST, TREND_MIN_R2 = 0.5, 2.0, 0.5
# Note steps: leave a note when the pitch strays this far (semitones) from it.
HYSTERESIS_ST = 0.7
# A steady note moves less than this over its length (a glide moves more).
MAX_DRIFT_ST = 0.5
MAX_GAP_FRAMES = 3


class AnalyzePitchArgs(ToolArgs):
    """Measure the fundamental frequency (pitch) of a voice, instrument or tone."""

    floor_hz: float = Field(50.0, ge=20.0, le=1000.0,
                            description="lowest pitch searched, Hz (50 covers low male "
                                        "voices and bass notes)")
    ceiling_hz: float = Field(2200.0, ge=100.0, le=5000.0,
                              description="highest pitch searched, Hz (2200 covers C7 and "
                                          "whistles; keep well above the expected pitch)")
    voicing_threshold: float = Field(0.45, ge=0.1, le=0.9,
                                     description="periodicity a frame needs to count as "
                                                 "pitched; higher ignores breathy or noisy "
                                                 "frames")
    min_note_s: float = Field(0.08, ge=0.02, le=2.0,
                              description="shortest steady pitch reported as a note")


# A melody of up to this many notes is spelled out in the summary.
SUMMARY_NOTES = 8


class PitchNote(BaseModel):
    """A steady pitch held for a while."""

    note: str = Field(description="note name, e.g. 'A4'")
    start_s: float = Field(description="start, seconds from the beginning of the audio")
    end_s: float = Field(description="end, seconds")


class PitchAnalysis(ToolOutput):
    voiced_ratio: float = Field(description="share of the recording with a detectable pitch, 0-1")
    voiced_s: float = Field(description="seconds with a detectable pitch")
    median_hz: float | None = Field(description="median fundamental frequency, Hz")
    mean_hz: float | None = Field(description="mean fundamental frequency, Hz")
    min_hz: float | None = Field(description="lowest pitch (5th percentile), Hz")
    max_hz: float | None = Field(description="highest pitch (95th percentile), Hz")
    std_hz: float | None = Field(description="standard deviation of the pitch, Hz")
    range_semitones: float | None = Field(description="span from min_hz to max_hz, semitones")
    median_note: str | None = Field(description="nearest note to the median and the offset "
                                                "from it, e.g. 'A4 +3 cents'")
    contour: Literal["rising", "falling", "flat", "varying", "none"] = Field(
        description="overall direction of the pitch over time")
    slope_semitones_per_s: float | None = Field(description="line-fit trend, semitones per second")
    start_note: str | None = Field(description="note at the start of the pitched part")
    end_note: str | None = Field(description="note at the end of the pitched part")
    notes: list[PitchNote] = Field(description=f"steady notes in order when the pitch moves in "
                                               f"steps (first {MAX_ITEMS}); empty for gliding "
                                               f"pitch such as speech")

    def describe(self) -> str:
        """The nearest note and frequency first (what 'which note' asks), then how it moves."""
        if self.median_hz is None:
            return "no pitch detected (unpitched, noise or silence)"
        note = self.median_note.split()[0]
        if self.contour == "flat":
            return f"pitch {note} ({self.median_hz:.0f} Hz), steady; voiced {self.voiced_ratio:.0%}"
        text = (f"median pitch {note} ({self.median_hz:.0f} Hz), {self.contour} "
                f"{self.min_hz:.0f}-{self.max_hz:.0f} Hz")
        if 1 < len(self.notes) <= SUMMARY_NOTES:
            text += "; notes " + " ".join(n.note for n in self.notes)
        elif self.contour in ("rising", "falling") and self.start_note != self.end_note:
            text += f", {self.start_note} to {self.end_note}"
        return text + f"; voiced {self.voiced_ratio:.0%}"


def pitch_track(samples: np.ndarray, floor: float, ceiling: float,
                voicing: float) -> tuple[np.ndarray, np.ndarray]:
    """(times, f0) of every 10 ms frame, f0 = 0 where unvoiced; two Praat passes."""
    times, f0 = _praat_pitch(samples, floor, ceiling, voicing, OCTAVE_COST_WIDE)
    voiced = f0[f0 > 0]
    if len(voiced) == 0:
        return times, f0
    median = float(np.median(voiced))
    low = max(floor, median / 2 ** ADAPTIVE_OCTAVES)
    high = min(ceiling, median * 2 ** ADAPTIVE_OCTAVES)
    return _praat_pitch(samples, low, high, voicing, OCTAVE_COST_NARROW)


def _praat_pitch(samples: np.ndarray, floor: float, ceiling: float, voicing: float,
                 octave_cost: float) -> tuple[np.ndarray, np.ndarray]:
    import parselmouth

    duration = len(samples) / SAMPLE_RATE
    floor = max(floor, 3.05 / duration)  # Praat needs three periods of the floor
    if floor >= ceiling:
        return np.zeros(0), np.zeros(0)
    sound = parselmouth.Sound(samples.astype(np.float64), SAMPLE_RATE)
    pitch = sound.to_pitch_ac(time_step=TIME_STEP_S, pitch_floor=floor, pitch_ceiling=ceiling,
                              voicing_threshold=voicing, octave_cost=octave_cost)
    return pitch.xs(), pitch.selected_array["frequency"]


def contour_of(times: np.ndarray, semitones: np.ndarray) -> tuple[str, float | None]:
    """Direction and line-fit slope (semitones/s) of a voiced pitch track."""
    if len(semitones) < 3 or times[-1] - times[0] < 0.05:
        return "flat", None
    slope, intercept = np.polyfit(times, semitones, 1)
    residual = semitones - (slope * times + intercept)
    total = float(np.var(semitones))
    r2 = 1.0 - float(np.var(residual)) / total if total > 0 else 0.0
    change = abs(slope) * (times[-1] - times[0])
    if np.std(semitones) < FLAT_STD_ST and change < TREND_MIN_ST / 2:
        return "flat", float(slope)
    if r2 >= TREND_MIN_R2 and change >= TREND_MIN_ST:
        return ("rising" if slope > 0 else "falling"), float(slope)
    return "varying", float(slope)


def note_steps(times: np.ndarray, midi: np.ndarray,
               min_frames: int) -> list[tuple[int, float, float]]:
    """(key, start, end) of steady notes: semitone quantising with hysteresis.

    A frame stays on the current note while within HYSTERESIS_ST of it, so vibrato or a
    note tuned between two keys does not flicker; gaps of unvoiced frames end a note. A run
    that drifts (a glide passing through the key) is no note.
    """
    runs: list[list[int]] = []
    for i, (t, m) in enumerate(zip(times, midi)):
        last = runs[-1] if runs else None
        if (last and abs(m - round(midi[last[0]])) <= HYSTERESIS_ST
                and t - times[last[-1]] <= MAX_GAP_FRAMES * TIME_STEP_S + 1e-6):
            last.append(i)
        else:
            runs.append([i])
    steady = [run for run in runs
              if len(run) >= min_frames and _drift(times[run], midi[run]) < MAX_DRIFT_ST]
    return [(int(round(float(np.median(midi[run])))), float(times[run[0]]),
             float(times[run[-1]]) + TIME_STEP_S) for run in steady]


def _drift(times: np.ndarray, midi: np.ndarray) -> float:
    """Semitones a line fit moves over the run."""
    return abs(float(np.polyfit(times, midi, 1)[0])) * float(times[-1] - times[0])


def _edge_note(midi: np.ndarray, first: bool) -> str:
    """Note of the first or last tenth of the voiced frames (at least 3)."""
    n = max(3, len(midi) // 10)
    part = midi[:n] if first else midi[-n:]
    return note_name(int(round(float(np.median(part)))))


@audio_tool(name="analyze_pitch", args=AnalyzePitchArgs, output=PitchAnalysis, version="3",
            description="Pitch (fundamental frequency) of a voice, instrument or tone: median, "
                        "mean, range in Hz, nearest note with cents, whether the pitch rises, "
                        "falls or stays flat, and the note sequence of a simple melody. Use for "
                        "'how high', 'which note', 'is the voice low or high', 'does the pitch "
                        "go up'.",
            time_budget_s=10)
def analyze_pitch(clip: Clip, args: AnalyzePitchArgs) -> PitchAnalysis:
    if args.floor_hz >= args.ceiling_hz:
        raise ValueError(f"floor_hz ({args.floor_hz}) must be below ceiling_hz ({args.ceiling_hz})")
    times, f0 = pitch_track(clip.samples, args.floor_hz, args.ceiling_hz, args.voicing_threshold)
    voiced = f0 > 0
    hz, t = f0[voiced], times[voiced]
    ratio = round(float(voiced.mean()), 3) if len(f0) else 0.0
    if len(hz) == 0:
        return PitchAnalysis(voiced_ratio=0.0, voiced_s=0.0, median_hz=None, mean_hz=None,
                             min_hz=None, max_hz=None, std_hz=None, range_semitones=None,
                             median_note=None, contour="none", slope_semitones_per_s=None,
                             start_note=None, end_note=None, notes=[])
    median = float(np.median(hz))
    low, high = (float(v) for v in np.percentile(hz, [5, 95]))
    midi = hz_to_midi(hz)
    contour, slope = contour_of(t, midi)
    steps = note_steps(t, midi, max(1, int(round(args.min_note_s / TIME_STEP_S))))
    on_steps = sum(end - start for _, start, end in steps)
    notes = ([PitchNote(note=note_name(k), start_s=round(s, 2), end_s=round(e, 2))
              for k, s, e in steps[:MAX_ITEMS]] if on_steps >= 0.7 * len(hz) * TIME_STEP_S
             else [])
    return PitchAnalysis(
        voiced_ratio=ratio, voiced_s=round(len(hz) * TIME_STEP_S, 2),
        median_hz=round(median, 2), mean_hz=round(float(hz.mean()), 2), min_hz=round(low, 2),
        max_hz=round(high, 2), std_hz=round(float(hz.std()), 2),
        range_semitones=round(float(12 * np.log2(high / low)), 2),
        median_note=note_with_cents(median), contour=contour,
        slope_semitones_per_s=round_or_none(slope), start_note=_edge_note(midi, True),
        end_note=_edge_note(midi, False), notes=notes)
