"""transcribe: Whisper on synthesised speech with known text and on real recorded digits."""

from __future__ import annotations

import numpy as np
import pytest

from audiorouter.data import synth
from audiorouter.evals.benchmarks.tools.word_error import normalize_words, wer
from audiorouter.tools.base import ToolFailure
from audiorouter.tools.speech_common import TimeSpan
from audiorouter.tools.transcribe import Transcript, TranscriptSegment, transcribe, whisper_model

SR = 16_000
SENTENCE = "Please remember to bring your umbrella because it might rain this afternoon."


def test_schema_hides_audio_and_lists_the_models() -> None:
    schema = transcribe.tool_call_schema.model_json_schema()
    assert set(schema["properties"]) == {"model", "language", "beam_size"}
    assert "audio" not in schema["properties"]
    assert set(schema["properties"]["model"]["enum"]) == {"base", "tiny.en"}
    assert all(p.get("description") for p in schema["properties"].values())


def test_english_only_model_refuses_another_language() -> None:
    result = transcribe.execute((np.zeros(SR, dtype=np.float32), SR),
                                {"model": "tiny.en", "language": "de"})
    assert isinstance(result, ToolFailure)
    assert "base" in result.error


def test_bad_language_code_is_an_argument_failure() -> None:
    result = transcribe.execute((np.zeros(SR, dtype=np.float32), SR), {"language": "German"})
    assert isinstance(result, ToolFailure) and result.error_type == "ToolArgumentError"


def test_normalisation_makes_digits_and_number_words_agree() -> None:
    assert normalize_words("Four, seven, one.") == normalize_words("471") == ["4", "7", "1"]
    assert normalize_words("sold fifty bonds") == normalize_words("sold 50 bonds")
    assert normalize_words("one oh four") == ["1", "0", "4"]
    assert normalize_words("Oh, it's late!") == ["oh", "its", "late"]
    assert wer("the cat sat", "the cat sat down") == pytest.approx(1 / 3)
    assert wer("a b c d", "a x c") == pytest.approx(0.5)


def test_describe_puts_the_words_first() -> None:
    out = Transcript(text="Hello there.", language="en", language_name="English",
                     language_probability=0.98,
                     top_languages=[], word_count=2, words_per_minute=120.0, words_per_second=2.0,
                     speech_span=TimeSpan(start_s=0.2, end_s=1.2),
                     segments=[TranscriptSegment(start_s=0.0, end_s=1.4, text="Hello there.")],
                     model="base")
    assert out.describe() == ('"Hello there."; English; 2 words, 2.0 words per second '
                              '(120 words per minute)')


def test_describe_adds_the_digits_after_the_words() -> None:
    out = Transcript(text="cinco uno cuatro", in_digits="5 1 4", language="es", language_name="Spanish",
                     language_probability=0.9, top_languages=[], word_count=3, words_per_minute=90.0,
                     words_per_second=1.5, speech_span=TimeSpan(start_s=0.0, end_s=2.0), segments=[],
                     model="base")
    assert out.describe().startswith('"cinco uno cuatro" (in digits: "5 1 4"); Spanish; 3 words')


@pytest.fixture(scope="module")
def sentence_audio() -> np.ndarray:
    return synth.speak(SENTENCE, voice="slt")


@pytest.mark.slow
@pytest.mark.parametrize("model", ["base", "tiny.en"])
def test_transcribes_a_synthesised_sentence(sentence_audio: np.ndarray, model: str) -> None:
    out = transcribe.execute((sentence_audio, SR), {"model": model})
    assert out.ok, out
    assert wer(SENTENCE, out.text) <= 0.15
    assert out.language == "en" and out.word_count >= 10
    assert out.segments and out.segments[-1].end_s <= len(sentence_audio) / SR + 0.01
    assert 80 < out.words_per_minute < 300


@pytest.mark.slow
def test_speaking_rate_ignores_the_silence_around_the_speech(sentence_audio: np.ndarray) -> None:
    padded = np.concatenate([synth.silence(2.0), sentence_audio, synth.silence(3.0)])
    tight, loose = (transcribe.execute((a, SR)) for a in (sentence_audio, padded))
    assert tight.ok and loose.ok
    assert loose.speech_span.start_s == pytest.approx(2.0 + tight.speech_span.start_s, abs=0.1)
    assert loose.words_per_minute == pytest.approx(tight.words_per_minute, rel=0.05)


@pytest.mark.slow
def test_real_recorded_digits() -> None:
    out = transcribe.execute((synth.asterisk_digits("4719"), SR))
    assert out.ok, out
    assert normalize_words(out.text) == ["4", "7", "1", "9"]


@pytest.mark.slow
def test_detects_german() -> None:
    text = ("Heute Morgen habe ich frisches Brot beim Bäcker gekauft. "
            "Wir fahren am Wochenende mit dem Zug nach Berlin.")
    out = transcribe.execute((synth.speak(text, voice="espeak:de"), SR))
    assert out.ok, out
    assert out.language == "de" and out.top_languages[0].language == "de"
    assert out.language_name == out.top_languages[0].name == "German"
    assert out.summary.split("; ")[1].startswith("German")
    assert "berlin" in normalize_words(out.text)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["silence", "noise"])
def test_no_words_from_silence_or_noise(kind: str) -> None:
    audio = (np.zeros(3 * SR, dtype=np.float32) if kind == "silence"
             else synth.white_noise(3.0, np.random.default_rng(0), amplitude=0.1))
    out = transcribe.execute((audio, SR))
    assert out.ok, out
    assert out.word_count == 0 and out.text == "" and out.language is None
    assert out.describe().startswith("no speech")


@pytest.mark.slow
def test_model_is_loaded_once() -> None:
    assert whisper_model("tiny.en") is whisper_model("tiny.en")
