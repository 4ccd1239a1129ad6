"""`transcribe`: what is said and in which language — Whisper through faster-whisper (int8 on
CPU)."""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, Field

from .audio import Clip
from .base import ToolArgs, ToolOutput, audio_tool, load_once
from .models import WHISPER_BASE, WHISPER_TINY_EN, ModelSpec, resolve_model
from .number_words import numbers_as_digits
from .speech_common import MAX_ITEMS, TimeSpan, span, speech_segments

_MODELS: dict[str, ModelSpec] = {"base": WHISPER_BASE, "tiny.en": WHISPER_TINY_EN}
MAX_TEXT_CHARS = 4000
_LOOPING_RATIO = 2.4  # Whisper's own test for a decoder stuck in a loop
SUMMARY_CHARS = 300  # of the transcript in the one-line summary (about 70 tokens)
UNSURE_LANGUAGE = 0.5  # below this probability the runner-up language is named too


class TranscribeArgs(ToolArgs):
    """Transcribe the speech in the recording and identify its language."""

    model: Literal["base", "tiny.en"] = Field(
        "base", description="'base': multilingual Whisper, detects the language, fewer "
                            "errors; 'tiny.en': English only, 2-3x faster, about twice the "
                            "word errors on unusual voices")
    language: str | None = Field(None, pattern=r"^[a-z]{2,3}$",
                                 description="ISO 639-1 code of the spoken language (e.g. 'en', "
                                             "'de'); leave empty to detect it")
    beam_size: int = Field(1, ge=1, le=5, description="beam search width; 1 (greedy) is fastest")


class LanguageGuess(BaseModel):
    language: str = Field(description="ISO 639-1 code")
    name: str = Field(description="the language's English name")
    probability: float = Field(description="Whisper's probability for it, 0-1")


class TranscriptSegment(TimeSpan):
    text: str = Field(description="what is said in this stretch")


class Transcript(ToolOutput):
    text: str = Field(description=f"the transcript (first {MAX_TEXT_CHARS} characters)")
    language: str | None = Field(description="spoken language, ISO 639-1 (None: no speech)")
    language_name: str | None = Field(None, description="its English name, e.g. 'Swedish'")
    language_probability: float = Field(description="confidence in the language, 0-1")
    top_languages: list[LanguageGuess] = Field(description="the likeliest languages (up to 3)")
    in_digits: str | None = Field(None, description="the transcript with spoken numbers written as "
                                                    "digits, where that changes it (39 of "
                                                    "Whisper's languages: number_words)")
    word_count: int = Field(description="number of words in the transcript")
    words_per_minute: float = Field(description="speaking rate: words over the speech span")
    words_per_second: float = Field(0.0, description="the same rate per second")
    speech_span: TimeSpan | None = Field(description="from the start of the first to the end of "
                                                     "the last speech the VAD hears")
    segments: list[TranscriptSegment] = Field(description=f"timed phrases (first {MAX_ITEMS})")
    model: str = Field(description="the Whisper model used")

    def describe(self) -> str:
        """The words (and their numbers in digits), then the language by name, then the rate
        in the units questions use (when speech starts and ends is `detect_speech`'s)."""
        if not self.word_count:
            return "no speech transcribed"
        said = f'"{_clipped(self.text)}"'
        if self.in_digits:
            said += f' (in digits: "{_clipped(self.in_digits)}")'
        language = self.language_name or self.language
        if self.language_probability < UNSURE_LANGUAGE and len(self.top_languages) > 1:
            language += f" (or {self.top_languages[1].name})"
        words = f"{self.word_count} word{'s' if self.word_count != 1 else ''}"
        return (f"{said}; {language}; {words}, {self.words_per_second:.1f} words per second "
                f"({self.words_per_minute:.0f} words per minute)")


def _clipped(text: str) -> str:
    return text if len(text) <= SUMMARY_CHARS else text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " ..."


@cache
def language_name(code: str) -> str:
    """'Swedish' for 'sv': a small reasoner matches names to answer options, not codes."""
    from transformers.models.whisper.tokenization_whisper import LANGUAGES

    return LANGUAGES.get(code, code).title()


@load_once
def whisper_model(name: str) -> Any:
    """The CTranslate2 Whisper model, int8 on CPU, loaded once per process and name."""
    from faster_whisper import WhisperModel

    return WhisperModel(str(resolve_model(_MODELS[name])), device="cpu", compute_type="int8")


@audio_tool(name="transcribe", args=TranscribeArgs, output=Transcript, version="8",
            description="Speech recognition (Whisper): the words spoken, with timed phrases, "
                        "the spoken language with its probability, word count and speaking "
                        "rate (words per minute). Use for what is said, which language, how "
                        "many words, numbers or names spoken.",
            time_budget_s=180)
def transcribe(clip: Clip, args: TranscribeArgs) -> Transcript:
    if args.model == "tiny.en" and args.language not in (None, "en"):
        raise ValueError(f"model 'tiny.en' only transcribes English, not {args.language!r}: "
                         "use model='base'")
    speech = speech_segments(clip.samples)
    if not speech:
        return _empty(args.model)
    pieces, info = _decode(whisper_model(args.model), clip.samples, args)
    end = clip.duration  # Whisper's last timestamp can overshoot the audio
    segments = [TranscriptSegment(start_s=round(min(s.start, end), 2),
                                  end_s=round(min(s.end, end), 2), text=s.text.strip())
                for s in pieces if s.text.strip()]
    if not segments:
        return _empty(args.model)
    text = " ".join(s.text for s in segments)
    words = len(text.split())
    # The rate's clock is the VAD's speech span: Whisper's timestamps start at 0 and run
    # into the silence around the speech (113, not 133 wpm, on a 6.8 s sentence read at 131).
    spoken = span(speech[0][0], speech[-1][1])
    minutes = max(spoken.end_s - spoken.start_s, 0.5) / 60
    guesses = sorted(info.all_language_probs or [(info.language, info.language_probability)],
                     key=lambda lp: -lp[1])[:3]
    text = text[:MAX_TEXT_CHARS]
    return Transcript(text=text, in_digits=numbers_as_digits(text, info.language), language=info.language,
                      language_name=language_name(info.language),
                      language_probability=round(info.language_probability, 3),
                      top_languages=[LanguageGuess(language=lang, name=language_name(lang),
                                                   probability=round(p, 3))
                                     for lang, p in guesses],
                      word_count=words, words_per_minute=round(words / minutes, 1),
                      words_per_second=round(words / minutes / 60, 2),
                      speech_span=spoken, segments=segments[:MAX_ITEMS], model=args.model)


def _decode(model: Any, samples: Any, args: TranscribeArgs) -> tuple[list[Any], Any]:
    """Segments and info from Whisper, deterministically.

    Temperature 0 only: faster-whisper's fallback samples at higher temperatures, which
    differs run to run. Its job, rescuing a decoder stuck repeating itself (compression
    ratio above 2.4; seen with beam 5 on 2 of 30 clips), is done here by one greedy retry
    that may not repeat a 3-token sequence. No VAD filter: with it the benchmark's WER
    moved by 0.003 (noise) at some cost in time.
    """
    options = dict(language=args.language, temperature=0.0, condition_on_previous_text=False)
    pieces, info = model.transcribe(samples, beam_size=args.beam_size, **options)
    pieces = list(pieces)
    if any(p.compression_ratio > _LOOPING_RATIO for p in pieces):
        retry, info = model.transcribe(samples, beam_size=1, no_repeat_ngram_size=3, **options)
        pieces = list(retry)
    return pieces, info


def _empty(model: str) -> Transcript:
    return Transcript(text="", language=None, language_probability=0.0, top_languages=[],
                      word_count=0, words_per_minute=0.0, speech_span=None, segments=[],
                      model=model)
