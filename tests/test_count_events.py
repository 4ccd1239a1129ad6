"""count_events on real drum one-shots, beeps and clicks at known times."""

from __future__ import annotations

import numpy as np
import pytest

from audiorouter.data import synth
from audiorouter.tools.count_events import (CountEventsArgs, EventCount, count_events,
                                            pick_onsets, place_against_speech)
from audiorouter.tools.speech_common import TimeSpan


def _count(audio: np.ndarray, **args):
    out = count_events.execute((audio, 16000), args, use_cache=False)
    assert out.ok, out
    return out


@pytest.mark.parametrize("n", [1, 4, 9, 12])
def test_real_drum_hits_are_counted_and_timed(n):
    audio, onsets = synth.hits(n, rng=np.random.default_rng(n), each_different=True)
    out = _count(audio)
    assert out.count == n
    assert np.allclose(out.onsets_s, onsets, atol=0.03)


def test_one_repeated_sample_with_its_decay_counts_once_per_hit():
    audio, onsets = synth.hits(6, rng=np.random.default_rng(3), instrument="tom")
    assert _count(audio).count == 6


def test_beeps_end_is_not_a_second_event():
    audio, onsets = synth.events_clip(7, np.random.default_rng(5), "tone")
    out = _count(audio)
    assert out.count == 7 and np.allclose(out.onsets_s, onsets, atol=0.03)


def test_noise_from_the_start_is_not_an_event():
    rng = np.random.default_rng(11)
    audio, _ = synth.events_clip(5, rng, "click")
    noisy = synth.fade(synth.mix(audio, synth.white_noise(len(audio) / 16000, rng), 15))
    assert _count(noisy).count == 5
    assert _count(synth.white_noise(3.0, rng)).count == 0


def test_silence_has_no_events():
    out = _count(np.zeros(16000, np.float32))
    assert out.count == 0 and out.mean_interval_s is None
    assert out.describe() == "no distinct sound events"


def test_hits_alone_are_not_placed_against_speech():
    audio, _ = synth.events_clip(5, np.random.default_rng(8), "drum")
    out = _count(audio)
    assert out.speech is None and out.relative_to_speech is None
    assert "speech" not in out.summary


@pytest.mark.parametrize("before,after", [(0, 3), (2, 4)])
def test_hits_around_a_real_voice_are_placed_before_and_after_it(before, after):
    rng = np.random.default_rng(before * 10 + after)
    parts = [synth.hits(before, rng=rng, instrument="tom")[0], synth.silence(0.4)] if before else []
    voice = synth.asterisk_digits("4071")
    audio = np.concatenate([*parts, voice, synth.silence(0.4),
                            synth.hits(after, rng=rng, instrument="tom")[0]])
    out = _count(audio)
    assert out.relative_to_speech.count("before") == before
    assert out.relative_to_speech.count("after") == after
    assert out.relative_to_speech.count("during") >= 2  # the digits' syllables
    assert out.summary.endswith(f"{after} after it")


def test_onsets_are_placed_with_the_vads_late_start_and_early_end_allowed_for():
    segments = [(1.0, 2.0), (3.0, 4.0)]
    times = [0.5, 0.8, 1.5, 2.05, 2.5, 2.8, 4.05, 4.5]
    assert place_against_speech(times, segments) == [
        "before", "during", "during", "during", "between", "during", "during", "after"]


def test_summary_counts_events_around_speech_in_order():
    out = EventCount(count=6, onsets_s=[0.1, 0.5, 1.2, 1.4, 2.6, 3.0], levels_db=[-20.0] * 6,
                     mean_interval_s=0.58, interval_std_s=0.2, regularity=0.6, rate_per_min=103.4,
                     speech=TimeSpan(start_s=1.1, end_s=2.2),
                     relative_to_speech=["before", "before", "during", "during", "after",
                                         "after"])
    assert out.describe() == ("6 sound events from 0.1 s, one every 0.58 s; 2 before speech, "
                              "2 during it, 2 after it")
    one = out.model_copy(update={"count": 1, "onsets_s": [2.6], "relative_to_speech": ["after"]})
    assert one.describe() == "1 sound event, at 2.6 s; 1 after speech"


def test_min_gap_merges_close_onsets():
    rng = np.random.default_rng(2)
    click = synth.events_clip(1, rng, "click")[0][1600:1700]
    audio = np.zeros(16000, np.float32)
    for start in (0.2, 0.25, 0.7):
        audio[int(start * 16000):int(start * 16000) + len(click)] += click
    assert _count(audio, min_gap_s=0.03).count == 3
    assert _count(audio, min_gap_s=0.1).count == 2


def test_even_clicks_are_regular_with_the_right_interval():
    rng = np.random.default_rng(4)
    audio, onsets = synth.events_clip(8, rng, "click", gap_range_s=(0.4, 0.4))
    out = _count(audio)
    assert out.count == 8
    assert out.mean_interval_s == pytest.approx(0.4, abs=0.01)
    assert out.regularity > 0.9 and out.rate_per_min == pytest.approx(150, abs=5)
    assert out.summary.startswith("8 sound events") and "one every 0.40 s" in out.summary


def test_pick_onsets_keeps_the_strongest_within_the_gap():
    envelope = np.array([0, 1, 0, 3, 0, 0, 0, 2, 0], dtype=float)
    assert pick_onsets(envelope, 0.5, min_gap_frames=3) == [3, 7]


def test_schema_hides_audio_and_bounds_arguments():
    schema = count_events.tool_call_schema.model_json_schema()
    assert set(schema["properties"]) == {"min_gap_s", "sensitivity"}
    with pytest.raises(Exception):
        CountEventsArgs(sensitivity=2)
