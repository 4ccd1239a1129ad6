"""analyze_rhythm on click tracks and rendered drum and pitched loops of known tempo."""

from __future__ import annotations

import numpy as np
import pytest

from audiorouter.data import synth
from audiorouter.tools.count_events import FRAME_S
from audiorouter.tools.analyze_rhythm import analyze_rhythm, periodicity, settle_octave, tempo_of

SR = 16_000


def _rhythm(audio: np.ndarray, **args):
    out = analyze_rhythm.execute((audio, SR), args, use_cache=False)
    assert out.ok, out
    return out


def _clicks(bpm: float, seconds: float, accent_every: int = 1) -> np.ndarray:
    """Noise clicks on every beat, louder on every `accent_every`-th."""
    rng = np.random.default_rng(0)
    audio = np.zeros(int(seconds * SR), np.float32)
    click = (rng.standard_normal(80) * np.exp(-np.arange(80) / 15)).astype(np.float32)
    for i, t in enumerate(np.arange(0.2, seconds - 0.1, 60.0 / bpm)):
        start = int(t * SR)
        audio[start:start + 80] += click * (0.8 if i % accent_every == 0 else 0.3)
    return synth.fade(audio)


def _impulses(period_s: float, seconds: float, offset_s: float = 0.0) -> np.ndarray:
    envelope = np.zeros(int(seconds / FRAME_S))
    envelope[np.round(np.arange(offset_s, seconds, period_s) / FRAME_S).astype(int)] = 1.0
    return envelope


def test_tempo_from_beats_survives_a_missed_beat():
    beats = np.arange(0, 10, 0.5)
    assert tempo_of(beats) == pytest.approx(120.0)
    assert tempo_of(np.delete(beats, 7)) == pytest.approx(120.0)


def test_periodicity_is_high_at_the_period_and_low_elsewhere():
    envelope = _impulses(0.5, 10.0)
    assert periodicity(envelope, 0.5) > 0.9
    assert periodicity(envelope, 0.37) < 0.1


def test_a_tracker_on_a_subdivision_is_halved():
    """Onsets every 1 s, tracker says 120 BPM (0.5 s beats): no onsets at the half beats."""
    envelope = _impulses(1.0, 10.0, offset_s=0.1)
    beats = np.arange(0.1, 10, 0.5)
    bpm, confidence, kept = settle_octave(120.0, beats, envelope, 40)
    assert bpm == 60.0 and confidence > 0.8
    assert np.allclose(np.diff(kept), 1.0) and kept[0] == pytest.approx(0.1)
    assert settle_octave(60.0, kept, envelope, 40)[0] == 60.0  # a right tempo stays


@pytest.mark.parametrize("audio", [np.zeros(3 * SR, np.float32),
                                   synth.white_noise(3.0, np.random.default_rng(1)),
                                   synth.tone(440.0, 3.0)], ids=["silence", "noise", "tone"])
def test_no_beat_without_onsets(audio):
    out = _rhythm(audio)
    assert out.tempo_bpm is None and out.beats_s == [] and out.onset_count <= 1
    assert out.summary.startswith("no steady beat")


def test_min_above_max_bpm_is_a_failure():
    out = analyze_rhythm.execute((_clicks(120, 4.0), SR), {"min_bpm": 150, "max_bpm": 100},
                                 use_cache=False)
    assert not out.ok and "min_bpm" in out.error


def test_schema_hides_audio():
    schema = analyze_rhythm.tool_call_schema.model_json_schema()
    assert set(schema["properties"]) == {"min_bpm", "max_bpm"}
    assert schema["properties"]["max_bpm"]["maximum"] == 250


@pytest.mark.slow
@pytest.mark.parametrize("bpm", [90.0, 128.0])
def test_click_track_tempo_beats_and_onsets(bpm):
    out = _rhythm(_clicks(bpm, 8.0, accent_every=4))
    assert out.tempo_bpm == pytest.approx(bpm, rel=0.02)
    assert (out.half_tempo_bpm, out.double_tempo_bpm) == pytest.approx((bpm / 2, bpm * 2), rel=0.02)
    beats = int((8.0 - 0.3) * bpm / 60) + 1
    assert abs(out.onset_count - beats) <= 1 and abs(out.beat_count - beats) <= 2
    assert out.confidence > 0.5


@pytest.mark.slow
@pytest.mark.parametrize("bpm,kit", [(96.0, 0), (124.0, 25), (150.0, 32)])
def test_rendered_drum_loops(bpm, kit):
    out = _rhythm(synth.drum_loop(bpm, 4, np.random.default_rng(int(bpm)), kit_program=kit))
    assert out.tempo_bpm == pytest.approx(bpm, rel=0.04)
    assert out.confidence > 0.3 and out.onset_count >= 16
    assert np.median(np.diff(out.beats_s)) == pytest.approx(60 / bpm, rel=0.03)


@pytest.mark.slow
def test_pitched_loop_tempo():
    audio = synth.cadence_clip(2, "major", 0, 110.0, np.random.default_rng(4), bars=4)
    assert _rhythm(audio).tempo_bpm == pytest.approx(110.0, rel=0.04)


@pytest.mark.slow
def test_beats_list_is_bounded():
    out = _rhythm(synth.drum_loop(140.0, 14, np.random.default_rng(0)))
    assert out.beat_count > 50 and len(out.beats_s) == 50
