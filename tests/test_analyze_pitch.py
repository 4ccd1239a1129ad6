"""analyze_pitch on pure tones, rendered instrument notes and melodies, and synthetic voices."""

from __future__ import annotations

import numpy as np
import pytest

from audiorouter.data import synth
from audiorouter.tools.analyze_pitch import analyze_pitch, contour_of, note_steps

SR = 16_000


def _pitch(audio: np.ndarray, **args):
    out = analyze_pitch.execute((audio, SR), args, use_cache=False)
    assert out.ok, out
    return out


def _cents(hz: float, ref: float) -> float:
    return 1200 * np.log2(hz / ref)


def _sweep(f0: np.ndarray) -> np.ndarray:
    """A sine following the frequency track `f0` (Hz per sample)."""
    return synth.fade(0.5 * np.sin(2 * np.pi * np.cumsum(f0) / SR)).astype(np.float32)


@pytest.mark.parametrize("hz", [80.0, 220.0, 660.0, 1320.0, 2000.0, 2093.0])
def test_pure_tones_are_not_halved(hz):
    out = _pitch(synth.tone(hz, 1.0))
    assert abs(_cents(out.median_hz, hz)) < 5
    assert out.contour == "flat" and out.voiced_ratio > 0.9


def test_660_hz_is_named_e5_with_its_cents():
    out = _pitch(synth.tone(660.0, 1.0))
    assert out.median_note == "E5 +2 cents"
    assert out.summary.startswith("pitch E5 (660 Hz), steady")


def test_a_low_ceiling_is_respected():
    """The router can narrow the range; a tone above it is then not reported at its pitch."""
    out = _pitch(synth.tone(660.0, 1.0), ceiling_hz=500.0)
    assert out.median_hz is None or out.median_hz < 500


def test_glide_rises_and_gives_no_notes():
    t = np.arange(2 * SR) / SR
    out = _pitch(_sweep(220 * 2 ** (t / 2)))  # one octave up in 2 s
    assert out.contour == "rising"
    assert out.slope_semitones_per_s == pytest.approx(6.0, abs=0.5)
    assert (out.start_note, out.notes) == ("A#3", [])


def test_vibrato_stays_one_flat_note():
    t = np.arange(2 * SR) / SR
    out = _pitch(_sweep(440 * 2 ** (0.5 / 12 * np.sin(2 * np.pi * 5.5 * t))))
    assert out.contour == "flat" and [n.note for n in out.notes] == ["A4"]


def test_stepped_tones_give_the_note_sequence():
    keys = [60, 64, 67, 72]
    tones = [synth.tone(440 * 2 ** ((k - 69) / 12), 0.3) for k in keys]
    out = _pitch(synth.concat(tones, gap_s=0.05))
    assert [n.note for n in out.notes] == ["C4", "E4", "G4", "C5"]
    assert out.contour == "rising" and (out.start_note, out.end_note) == ("C4", "C5")


def test_note_steps_ignore_vibrato_and_split_on_gaps():
    times = np.arange(60) * 0.01
    midi = np.concatenate([60 + 0.4 * np.sin(np.arange(30)), np.full(30, 62.0)])
    assert [k for k, _, _ in note_steps(times, midi, min_frames=8)] == [60, 62]
    gapped = np.concatenate([times[:20], times[40:]])
    assert len(note_steps(gapped, np.full(40, 60.0), min_frames=8)) == 2


def test_contour_of_a_falling_line():
    times = np.linspace(0, 2, 200)
    assert contour_of(times, 70 - 3 * times)[0] == "falling"
    assert contour_of(times, np.full(200, 70.0))[0] == "flat"


@pytest.mark.parametrize("audio", [np.zeros(SR, np.float32),
                                   synth.white_noise(2.0, np.random.default_rng(0))],
                         ids=["silence", "noise"])
def test_silence_and_noise_have_no_pitch(audio):
    out = _pitch(audio)
    assert out.median_hz is None and out.contour == "none" and out.voiced_ratio < 0.05
    assert out.summary.startswith("no pitch detected")


def test_a_clip_shorter_than_three_periods_of_the_floor_still_works():
    out = _pitch(synth.tone(440.0, 0.05))
    assert out.median_hz == pytest.approx(440.0, rel=0.01)


def test_floor_above_ceiling_is_a_failure_not_a_crash():
    out = analyze_pitch.execute((synth.tone(440.0, 1.0), SR), {"floor_hz": 900, "ceiling_hz": 300},
                                use_cache=False)
    assert not out.ok and "floor_hz" in out.error


def test_schema_hides_audio_and_bounds_the_range():
    schema = analyze_pitch.tool_call_schema.model_json_schema()
    assert set(schema["properties"]) == {"floor_hz", "ceiling_hz", "voicing_threshold",
                                         "min_note_s"}
    assert schema["properties"]["ceiling_hz"]["maximum"] == 5000
    assert all(p.get("description") for p in schema["properties"].values())


@pytest.mark.slow
@pytest.mark.parametrize("key,program", [(36, 0), (57, 40), (69, 73), (84, 56), (96, 0)])
def test_held_instrument_notes_c2_to_c7(key, program):
    assert program in synth.PITCHED_PROGRAMS.values()
    out = _pitch(synth.note_clip(key, program))
    assert abs(_cents(out.median_hz, 440 * 2 ** ((key - 69) / 12))) < 50


@pytest.mark.slow
def test_violin_arpeggio_with_overlapping_releases():
    keys = [72, 67, 64, 60, 64, 67, 72]
    notes = [synth.Note(0.1 + 0.25 * i, 0.24, k) for i, k in enumerate(keys)]
    out = _pitch(synth.render_notes(notes, program=40))
    assert [n.note for n in out.notes] == ["C5", "G4", "E4", "C4", "E4", "G4", "C5"]


@pytest.mark.slow
def test_male_and_female_voices_fall_either_side_of_157_hz():
    text = "Please remember to bring your umbrella this afternoon."
    male, female = _pitch(synth.speak(text, voice="kal")), _pitch(synth.speak(text, voice="slt"))
    assert 70 < male.median_hz < 120 and 150 < female.median_hz < 220
    assert male.notes == [] and male.max_hz < 200  # no fricatives read as kHz "pitch"
