"""detect_speech: Silero VAD segments against speech placed at known times."""

from __future__ import annotations

import numpy as np
import pytest

from audiorouter.data import synth
from audiorouter.evals.benchmarks.tools.speech import (background, lay_over, place, speech_iou,
                                                 speech_mask)
from audiorouter.tools.base import ToolFailure
from audiorouter.tools.detect_speech import SpeechActivity, detect_speech
from audiorouter.tools.speech_common import TimeSpan

SR = 16_000


def test_schema_hides_audio_and_bounds_arguments() -> None:
    schema = detect_speech.args_model.model_json_schema()
    assert "audio" not in schema["properties"]
    assert "audio" not in detect_speech.tool_call_schema.model_json_schema()["properties"]
    assert schema["properties"]["threshold"]["maximum"] == 0.95
    assert all(p.get("description") for p in schema["properties"].values())


def test_out_of_range_threshold_is_a_failure_not_a_crash() -> None:
    result = detect_speech.execute((np.zeros(SR, dtype=np.float32), SR), {"threshold": 2.0})
    assert isinstance(result, ToolFailure)
    assert result.error_type == "ToolArgumentError"


def test_describe_names_segments_and_pause() -> None:
    out = SpeechActivity(speech_s=3.0, speech_ratio=0.5, segment_count=2,
                         segments=[TimeSpan(start_s=0.5, end_s=2.0),
                                   TimeSpan(start_s=3.0, end_s=4.5)],
                         longest_pause_s=1.0, duration_s=6.0)
    assert out.describe() == "speech in 2 parts, 0.5-4.5 s, 3.0 s in all (50%); longest pause 1.0 s"
    one = SpeechActivity(speech_s=1.5, speech_ratio=0.25, segment_count=1, segments=[TimeSpan(start_s=0.5, end_s=2.0)],
                         longest_pause_s=0, duration_s=6.0)
    assert one.describe() == "speech 0.5-2.0 s (1.5 s, 25%)"
    empty = SpeechActivity(speech_s=0, speech_ratio=0, segment_count=0, segments=[],
                           longest_pause_s=0, duration_s=6.0)
    assert empty.describe() == "no speech detected in 6.0 s"


def test_speech_iou_ignores_the_collar_and_penalises_misses() -> None:
    truth = [(1.0, 2.0), (3.0, 4.0)]
    assert speech_iou([(0.95, 2.05), (2.95, 4.05)], truth, 5.0) == 1.0
    assert speech_iou([(1.0, 2.0)], truth, 5.0) == pytest.approx(0.5, abs=0.05)
    assert speech_mask(truth, 5.0).sum() == 200


@pytest.fixture(scope="module")
def three_utterances() -> tuple[np.ndarray, list[tuple[float, float]]]:
    parts = [synth.speak("Please remember to bring your umbrella.", voice="awb"),
             synth.speak("The train leaves in ten minutes.", voice="espeak:en-us+f2"),
             synth.speak("Thank you for calling.", voice="slt")]
    return place(parts, [1.5, 0.8], lead_s=1.0, tail_s=1.0)


@pytest.mark.slow
@pytest.mark.parametrize("bed", ["silence", "noise", "music"])
def test_segments_match_speech_placed_at_known_times(three_utterances, bed: str) -> None:
    audio, truth = three_utterances
    if bed != "silence":
        audio = lay_over(audio, background(bed, len(audio) / SR, np.random.default_rng(3)), -8.0)
    out = detect_speech.execute((audio, SR))
    assert out.ok, out
    assert out.segment_count == 3
    found = [(s.start_s, s.end_s) for s in out.segments]
    assert speech_iou(found, truth, len(audio) / SR) > 0.9
    assert out.longest_pause_s == pytest.approx(truth[1][0] - truth[0][1], abs=0.35)
    assert out.speech_s == pytest.approx(sum(e - s for s, e in truth), abs=0.5)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["noise", "music", "silence"])
def test_no_speech_in_noise_music_or_silence(kind: str) -> None:
    rng = np.random.default_rng(7)
    audio = (np.zeros(4 * SR, dtype=np.float32) if kind == "silence"
             else background(kind, 4.0, rng) * 0.2)
    out = detect_speech.execute((audio.astype(np.float32), SR))
    assert out.ok, out
    assert out.speech_s < 0.25
    if kind == "silence":
        assert out.segment_count == 0 and out.describe().startswith("no speech")


@pytest.mark.slow
def test_a_higher_threshold_never_finds_more_speech(three_utterances) -> None:
    audio, _ = three_utterances
    noisy = lay_over(audio, background("noise", len(audio) / SR, np.random.default_rng(1)), -3.0)
    loose = detect_speech.execute((noisy, SR), {"threshold": 0.2})
    strict = detect_speech.execute((noisy, SR), {"threshold": 0.9})
    assert loose.speech_s >= strict.speech_s
