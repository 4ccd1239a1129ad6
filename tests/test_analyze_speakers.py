"""analyze_speakers: conversations of known voices with known turn boundaries."""

from __future__ import annotations

import numpy as np
import pytest

from audiorouter.data import synth
from audiorouter.evals.benchmarks.tools.speakers import conversation, diarization_accuracy
from audiorouter.tools.analyze_speakers import (SpeakerAnalysis, SpeakerSummary, _merge_turns,
                                        analyze_speakers, cluster, cluster_by_long_pieces,
                                        estimate_gender,
                                        speech_pieces)

SR = 16_000


def test_schema_hides_audio() -> None:
    schema = analyze_speakers.tool_call_schema.model_json_schema()
    assert set(schema["properties"]) == {"distance_threshold", "num_speakers"}
    assert schema["properties"]["num_speakers"]["anyOf"][0]["maximum"] == 10


def test_long_segments_are_cut_into_pieces_of_at_most_three_seconds() -> None:
    pieces = speech_pieces([(0.0, 1.0), (2.0, 9.5)])
    assert pieces[0] == (0.0, 1.0)
    assert len(pieces) == 1 + 3 and pieces[-1][1] == 9.5
    assert all(b - a <= 3.0 + 1e-9 for a, b in pieces)


def test_clustering_labels_by_first_appearance_and_obeys_a_known_count() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(256), rng.standard_normal(256)
    emb = np.stack([b, a, b, a + 0.05 * rng.standard_normal(256)])
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    assert cluster(emb, 0.3, None).tolist() == [0, 1, 0, 1]
    assert cluster(emb, 0.3, 1).tolist() == [0, 0, 0, 0]
    assert cluster(emb[:1], 0.3, None).tolist() == [0]


def test_a_short_piece_joins_the_nearest_speaker_instead_of_founding_one() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal(256), rng.standard_normal(256)
    noisy_a = a + 1.5 * rng.standard_normal(256)  # a one-word piece: far from a's long pieces
    emb = np.stack([noisy_a, a, a + 0.05 * rng.standard_normal(256), b])
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    assert cluster(emb, 0.3, None).tolist() == [0, 1, 1, 2]  # alone, it founds a speaker
    assert cluster_by_long_pieces(emb, [0.5, 2.0, 2.5, 2.0], 0.3).tolist() == [0, 0, 0, 1]
    assert cluster_by_long_pieces(emb, [0.5, 0.6, 0.4, 0.5], 0.3).tolist() == [0, 1, 1, 2]  # all short: as before


def test_consecutive_pieces_of_one_speaker_merge_into_a_turn() -> None:
    turns = _merge_turns([(0, 1), (1, 2), (3, 4), (5, 6)], np.array([0, 0, 1, 0]))
    assert turns == [(0, 2, 0), (3, 4, 1), (5, 6, 0)]


def test_describe_of_no_speech() -> None:
    out = SpeakerAnalysis(speaker_count=0, speakers=[], turns=[], turn_count=0, speech_s=0)
    assert out.describe() == "no speech, so no speakers"


def _speaker(label: str, f0: float | None) -> SpeakerSummary:
    low = f0 * 0.75 if f0 else None  # the bottom of a read voice's range, 5 semitones down
    gender, confidence = estimate_gender(f0, low)
    return SpeakerSummary(speaker=label, talk_s=3.0, share=0.25, turns=1, median_f0_hz=f0,
                          low_f0_hz=low, gender=gender, gender_confidence=confidence)


@pytest.mark.parametrize("median, low, gender", [
    (95.0, 85.0, "male"), (125.0, 105.0, "male"), (200.0, 140.0, "female"),
    (260.0, 200.0, "female"), (159.0, 118.0, None), (None, None, None), (150.0, None, None),
    (150.0, 75.0, "male"),  # an expressive man: the median says little, the low end more
    (170.0, 160.0, "female"),  # a level woman's voice
])
def test_gender_is_read_from_pitch_and_left_out_near_the_boundary(median, low, gender) -> None:
    found, confidence = estimate_gender(median, low)
    assert found == gender
    if gender:
        assert 0.7 <= confidence <= 1.0


def test_a_voice_further_from_the_boundary_is_more_surely_gendered() -> None:
    assert estimate_gender(130.0, 110.0)[1] < estimate_gender(100.0, 85.0)[1]
    assert estimate_gender(160.0, 140.0)[1] < estimate_gender(230.0, 180.0)[1]


def test_describe_names_each_voice_and_the_lowest_and_highest() -> None:
    speakers = [_speaker("S1", 226.0), _speaker("S2", 104.0), _speaker("S3", 160.0),
                _speaker("S4", None)]
    out = SpeakerAnalysis(speaker_count=4, speakers=speakers, turns=[], turn_count=4, speech_s=12)
    assert out.describe() == (
        "4 speakers, in order of speaking: first female voice 226 Hz, second male voice 104 Hz, "
        "third voice 160 Hz, fourth voice of unknown pitch; lowest voice the second speaker, "
        "highest voice the first speaker")
    one = SpeakerAnalysis(speaker_count=2, speakers=speakers[:1] + speakers[3:], turns=[],
                          turn_count=2, speech_s=6)
    assert "lowest" not in one.describe()  # one pitched voice: nothing to rank


@pytest.fixture(scope="module")
def dialogue() -> tuple[np.ndarray, list[tuple[float, float, int]]]:
    """A low man (awb, ~130 Hz) and a woman (slt, ~170 Hz), four turns."""
    return conversation(np.random.default_rng(2), ["awb", "slt"], 4)


@pytest.mark.slow
def test_two_speakers_their_turns_and_pitch(dialogue) -> None:
    audio, turns = dialogue
    out = analyze_speakers.execute((audio, SR))
    assert out.ok, out
    assert out.speaker_count == 2 and out.turn_count == 4
    assert diarization_accuracy(out, {"turns": turns}, len(audio) / SR) > 0.9
    first = turns[0][2]  # index into ["awb", "slt"] of who spoke first (S1)
    f0 = {s.speaker: s.median_f0_hz for s in out.speakers}
    man, woman = ("S1", "S2") if first == 0 else ("S2", "S1")
    assert 90 < f0[man] < 160 < f0[woman] < 230
    gender = {s.speaker: s.gender for s in out.speakers}
    assert gender == {man: "male", woman: "female"}
    assert all(s.low_f0_hz < s.median_f0_hz for s in out.speakers)
    assert sum(s.share for s in out.speakers) == pytest.approx(1.0, abs=0.01)


@pytest.mark.slow
def test_one_voice_is_one_speaker() -> None:
    audio, _ = conversation(np.random.default_rng(4), ["rms"], 3)
    out = analyze_speakers.execute((audio, SR))
    assert out.ok, out
    assert out.speaker_count == 1 and out.turns[0].speaker == "S1"


@pytest.mark.slow
def test_a_known_count_is_obeyed(dialogue) -> None:
    audio, _ = dialogue
    out = analyze_speakers.execute((audio, SR), {"num_speakers": 1})
    assert out.ok and out.speaker_count == 1 and out.turn_count == 1


@pytest.mark.slow
def test_noise_gives_no_speakers() -> None:
    noise = synth.white_noise(3.0, np.random.default_rng(0), amplitude=0.1)
    out = analyze_speakers.execute((noise, SR))
    assert out.ok and out.speaker_count == 0 and out.turns == []


@pytest.mark.slow
@pytest.mark.parametrize("digits, language", [("66609", "es"), ("61832", "fr"), ("927039", "ru")])
def test_a_real_speaker_reading_digits_is_one_woman(digits, language) -> None:
    """Recorded Asterisk prompts, one word per pause: these strings came back as two speakers
    while single-word pieces founded speakers of their own."""
    out = analyze_speakers.execute((synth.asterisk_digits(digits, language=language), SR))
    assert out.ok, out
    assert [s.gender for s in out.speakers] == ["female"]
