"""analyze_harmony: notes, chords and key of additive tones, rendered chords and cadences."""

from __future__ import annotations

import numpy as np
import pytest

from audiorouter.data import synth
from audiorouter.tools.analyze_harmony import analyze_harmony, chord_labels, chord_spans
from audiorouter.tools.notes import frame_notes, held_notes
from audiorouter.tools.music_common import note_name

SR = 16_000


def _harmony(audio: np.ndarray, **args):
    out = analyze_harmony.execute((audio, SR), args, use_cache=False)
    assert out.ok, out
    return out


def _complex_tone(key: int, seconds: float, partials: int = 8) -> np.ndarray:
    """A harmonic tone on MIDI `key`, partial k at amplitude 1/k (like a bowed string)."""
    f0 = 440 * 2 ** ((key - 69) / 12)
    t = np.arange(int(seconds * SR)) / SR
    return sum(np.sin(2 * np.pi * k * f0 * t) / k for k in range(1, partials + 1))


def _chord(keys: list[int], seconds: float = 2.0) -> np.ndarray:
    x = sum(_complex_tone(k, seconds) for k in keys)
    return synth.fade(0.8 * x / np.max(np.abs(x))).astype(np.float32)


def _chords_of(audio: np.ndarray, vocabulary: str = "full") -> list[str]:
    _, lenient = frame_notes(audio)
    return [f"{r}:{q}" for r, q, _, _ in chord_spans(chord_labels(lenient, 1.0, vocabulary), 0.5)]


def test_additive_c_major_triad_notes_and_chord():
    audio = _chord([60, 64, 67])
    strict, _ = frame_notes(audio)
    assert [note_name(k) for k, _ in held_notes(strict, 0.2)] == ["C4", "E4", "G4"]
    assert _chords_of(audio) == ["0:major"]


@pytest.mark.parametrize("keys,chord", [([57, 60, 64], "9:minor"), ([59, 62, 65], "11:diminished"),
                                        ([55, 59, 62, 65], "7:dominant7"),
                                        ([60, 64, 68], "0:augmented")])
def test_additive_chord_qualities(keys, chord):
    assert _chords_of(_chord(keys)) == [chord]


def test_triads_vocabulary_has_no_sevenths():
    assert _chords_of(_chord([55, 59, 62, 65]), "triads") == ["7:major"]


def test_chord_sequence_is_merged_and_flicker_removed():
    labels = [(0, "major")] * 8 + [(5, "major")] * 2 + [(0, "major")] * 8 + [None] * 4 \
        + [(7, "major")] * 8
    spans = chord_spans(labels, min_s=0.5)  # 2 frames = 0.26 s: flicker
    assert [(r, q) for r, q, _, _ in spans] == [(0, "major"), (7, "major")]
    assert spans[0][3] <= spans[1][2]


def test_a_single_tone_is_no_chord_and_has_no_key():
    out = _harmony(synth.tone(440.0, 2.0))
    assert out.chords == [] and out.key is None
    assert [n.note for n in out.notes] == ["A4"]
    assert out.summary == "no chords or key in 2.0 s; notes A4"


@pytest.mark.parametrize("audio", [np.zeros(2 * SR, np.float32),
                                   synth.white_noise(3.0, np.random.default_rng(2))],
                         ids=["silence", "noise"])
def test_silence_and_noise_have_no_tonal_content(audio):
    out = _harmony(audio)
    assert (out.key, out.mode, out.chords, out.notes) == (None, None, [], [])
    assert out.summary.startswith("no chords, key or notes")


def test_schema_hides_audio():
    schema = analyze_harmony.tool_call_schema.model_json_schema()
    assert set(schema["properties"]) == {"key_profile", "chord_vocabulary", "chord_window_s",
                                         "min_chord_s", "min_note_s", "note_method"}
    assert "edma" in schema["properties"]["key_profile"]["enum"]


@pytest.mark.slow
@pytest.mark.parametrize("root,quality,program,chord", [
    (60, "major", 0, "C"), (57, "minor", 48, "Am"), (55, "dominant7", 56, "G7"),
    (62, "minor7", 4, "Dm7"), (59, "diminished", 73, "Bdim")])
def test_rendered_chords(root, quality, program, chord):
    out = _harmony(synth.chord_clip(root, quality, program))
    main = max(out.chords, key=lambda c: c.end_s - c.start_s)
    assert (main.chord, main.quality) == (chord, quality)
    assert [n.note for n in out.notes] == [note_name(root + i)
                                           for i in synth.CHORD_INTERVALS[quality]]


@pytest.mark.slow
@pytest.mark.parametrize("tonic,mode,program", [(0, "major", 0), (9, "minor", 24),
                                                (3, "major", 40), (6, "minor", 73)])
def test_cadence_key_and_chord_roots(tonic, mode, program):
    audio = synth.cadence_clip(tonic, mode, program, 100.0, np.random.default_rng(tonic), bars=4)
    out = _harmony(audio)
    assert (out.key, out.mode) == (synth_note(tonic), mode)
    assert out.key_strength > 0.5
    assert out.chords[0].root == synth_note(tonic) and out.chords[-1].root == synth_note(tonic)
    assert synth_note(tonic + 7) in {c.root for c in out.chords}  # the dominant


def synth_note(pc: int) -> str:
    return note_name(60 + pc % 12)[:-1]


@pytest.mark.slow
def test_basic_pitch_notes_on_request():
    out = _harmony(synth.chord_clip(60, "major", 0), note_method="basic_pitch")
    assert [n.note for n in out.notes] == ["C4", "E4", "G4"]
