"""Speech tool benchmark: transcription, language, voice activity and speakers, all with
ground truth by construction (synthesised text, recorded digits, speech placed at known times).

Tasks:
* `transcribe` (Whisper base and tiny.en): word error rate on flite and espeak-ng English
  voices reading everyday sentences and on the real recorded Asterisk digits; Harvard
  sentences (built to be unpredictable) as a harder extra;
* `transcribe` language: espeak-ng German, French, Spanish, Italian and English, named in
  English; a number read digit by digit in German, French, Spanish or Italian, written as digits,
  and digits recorded by real Spanish, French, Italian and Russian speakers;
* `detect_speech`: speech-time IoU (0.1 s collar) with utterances placed among silence, noise
  or music, and no false speech on noise, music or drum hits alone;
* the voices and sentences that `speakers.py` builds its conversations from.

Word error rates compare words after `word_error.normalize_words` (case, punctuation and number
spelling removed). espeak-ng voices are much harder for Whisper than flite voices: report
WER per voice family, not only the mean."""

from __future__ import annotations

import re
from functools import partial
from typing import Any

import numpy as np

from audiorouter.data.benchmark.parts import speak_at_rate
from audiorouter.data.synth import (FLITE_VOICES, asterisk_digits, cadence_clip, chord_clip, drum_loop,
                                     events_clip, fade, silence, speak, white_noise)
from audiorouter.data.texts import EVERYDAY, FOREIGN, HARVARD
from audiorouter.tools.audio import SAMPLE_RATE as SR

from .tasks import Case, ToolTask
from .word_error import wer

ESPEAK_LANGUAGE_VOICE = {"de": "de", "fr": "fr-fr", "es": "es", "it": "it", "en": "en-us"}

ESPEAK_ENGLISH = ("en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en-029", "en-us-nyc")
# Speaker identity: a flite voice, or an espeak-ng variant (its accent is drawn per clip, so
# one variant with two accents is never two "speakers"). kal and kal16 are the same person.
DEV_VOICES = ("kal", "slt", "espeak+m1", "espeak+m3", "espeak+f1", "espeak+f3")
TEST_VOICES = ("awb", "rms", "espeak+m2", "espeak+m4", "espeak+f2", "espeak+f4", "espeak+m6")

# --- audio builders -----------------------------------------------------------------------

def english_voice(rng: np.random.Generator, family: str | None = None) -> str:
    """A clean English voice from `family` ("flite" or "espeak"; None: either, evenly): a
    flite voice or an espeak-ng accent with a plain variant."""
    if family == "flite" or (family is None and rng.random() < 0.5):
        return str(rng.choice(FLITE_VOICES))
    variant = str(rng.choice(["m1", "m2", "m3", "m4", "f1", "f2", "f3", "f4"]))
    return f"espeak:{rng.choice(ESPEAK_ENGLISH)}+{variant}"

def voice_name(identity: str, rng: np.random.Generator) -> str:
    """The `speak` voice for a speaker identity ("awb" or "espeak+f2" with a drawn accent)."""
    if identity.startswith("espeak+"):
        return f"espeak:{rng.choice(ESPEAK_ENGLISH)}{identity.removeprefix('espeak')}"
    return identity

def speech_extent(x: np.ndarray, floor_db: float = 40.0) -> tuple[float, float]:
    """(first, last) second where 10 ms frames come within `floor_db` of the loudest frame:
    synthesisers pad their output with near-silence that is not speech."""
    hop = SR // 100
    frames = np.lib.stride_tricks.sliding_window_view(x, 2 * hop)[::hop]
    level = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)
    loud = np.nonzero(level > level.max() - floor_db)[0]
    return loud[0] * hop / SR, min((loud[-1] + 2) * hop / SR, len(x) / SR)

def place(parts: list[np.ndarray], gaps_s: list[float], lead_s: float,
          tail_s: float) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Lay `parts` end to end with silences between; return audio and each part's
    speech extent in clip time."""
    pieces, spans, t = [silence(lead_s)], [], lead_s
    for i, part in enumerate(parts):
        start, end = speech_extent(part)
        spans.append((t + start, t + end))
        pieces.append(part)
        t += len(part) / SR
        gap = gaps_s[i] if i < len(parts) - 1 else tail_s
        pieces.append(silence(gap))
        t += gap
    return np.concatenate(pieces), spans

def background(kind: str, seconds: float, rng: np.random.Generator) -> np.ndarray:
    """`seconds` of a bed to put speech over: "silence", "noise" (white or brown) or "music"."""
    n = int(round(seconds * SR))
    if kind == "silence":
        return np.zeros(n, dtype=np.float32)
    if kind == "noise":
        noise = white_noise(seconds, rng, amplitude=1.0)
        if rng.random() < 0.5:
            noise = np.cumsum(noise)
            noise -= np.convolve(noise, np.ones(400) / 400, mode="same")  # drop the drift
        return fade(noise / np.sqrt(np.mean(noise**2)))
    if kind == "music":
        return _music(seconds, rng)
    raise ValueError(f"unknown background {kind!r}")

def _music(seconds: float, rng: np.random.Generator) -> np.ndarray:
    """Instrumental music at least `seconds` long (cut to it), RMS 1."""
    style = rng.integers(3)
    if style == 0:
        bars = int(np.ceil(seconds / 2.0)) + 1
        x = cadence_clip(int(rng.integers(12)), str(rng.choice(["major", "minor"])),
                         int(rng.choice([0, 24, 40, 48, 56, 73])), 120.0, rng, bars=max(bars, 4))
    elif style == 1:
        x = drum_loop(float(rng.uniform(80, 140)), int(np.ceil(seconds / 1.7)) + 1, rng)
    else:
        x = chord_clip(int(rng.integers(48, 66)), "major", int(rng.choice([0, 19, 48, 52])),
                       seconds=seconds + 0.5)
    x = np.resize(x, int(round(seconds * SR)))
    return fade(x / np.sqrt(np.mean(x**2) + 1e-12))

def lay_over(speech: np.ndarray, bed: np.ndarray, bed_db: float) -> np.ndarray:
    """Add `bed` (RMS 1) at `bed_db` relative to the RMS of the speech parts."""
    active = np.abs(speech) > 1e-4
    level = np.sqrt(np.mean(speech[active] ** 2)) if active.any() else 0.1
    out = speech + bed[: len(speech)] * level * 10 ** (bed_db / 20)
    peak = np.max(np.abs(out))
    return (out * (0.95 / peak) if peak > 0.95 else out).astype(np.float32)

# --- transcription and language ------------------------------------------------------------

def digit_string(rng: np.random.Generator, shortest: int, longest: int) -> str:
    """Random digits, ``shortest`` to ``longest`` of them: a number read one digit at a time."""
    return "".join(str(d) for d in rng.integers(0, 10, size=int(rng.integers(shortest, longest + 1))))


def transcription_cases(rng: np.random.Generator, n: int, *, texts: tuple[str, ...] = EVERYDAY,
                        model: str = "base") -> list[Case]:
    """In turn: one or two sentences of `texts` read by a flite voice, the same by an
    espeak-ng voice, a real recorded digit string. The tool runs with `model`."""
    cases = []
    for i in range(n):
        if i % 3 == 2:
            digits = digit_string(rng, 3, 7)
            cases.append(Case(f"asterisk-digits-{digits}", asterisk_digits(digits),
                              {"text": " ".join(digits), "language": "en"}, args={"model": model}))
            continue
        voice = english_voice(rng, ("flite", "espeak")[i % 3])
        text = " ".join(rng.choice(texts, size=int(rng.integers(1, 3)), replace=False))
        cases.append(Case(f"{voice}-{i}", speak(text, voice=voice),
                          {"text": text, "language": "en"}, args={"model": model}))
    return cases

def rate_cases(rng: np.random.Generator, n: int) -> list[Case]:
    """Two Harvard sentences read by a held-out voice at 110-300 words per minute, as measured
    over the sounding span (`data.benchmark.parts.speak_at_rate`). Truth: that rate."""
    cases = []
    for i in range(n):
        identity = str(rng.choice(TEST_VOICES))
        text = " ".join(rng.choice(HARVARD, size=2, replace=False))
        audio, wpm = speak_at_rate(text, voice_name(identity, rng), float(rng.uniform(110, 300)))
        cases.append(Case(f"rate-{identity}-{i}", audio, wpm))
    return cases

def score_rate(output: Any, truth: float) -> float:
    """Right when the words-per-minute figure is within 10% of the true rate."""
    return float(abs(output.words_per_minute / truth - 1) <= 0.10)

def language_cases(rng: np.random.Generator, n: int, *, sentences: int = 2) -> list[Case]:
    """espeak-ng reading `sentences` German, French, Spanish, Italian or English sentences
    (two: 5-7 s; Whisper base names the language of one 2-3 s sentence less reliably)."""
    codes = ["de", "fr", "es", "it", "en"]
    cases = []
    for i in range(n):
        code = codes[i % len(codes)]
        pool = FOREIGN[code] if code != "en" else EVERYDAY
        text = " ".join(rng.choice(pool, size=sentences, replace=False))
        variant = str(rng.choice(["m1", "m3", "f2", "f4"]))
        voice = f"espeak:{ESPEAK_LANGUAGE_VOICE[code]}+{variant}"
        cases.append(Case(f"{code}-{voice}-{i}", speak(text, voice=voice),
                          {"text": text, "language": code}))
    return cases

NUMBER_IS = {"de": "Meine Nummer ist", "fr": "Mon numéro est le", "es": "Mi número es el",
             "it": "Il mio numero è il"}

def digit_cases(rng: np.random.Generator, n: int) -> list[Case]:
    """A sentence, then "my number is" and 3-6 digits read one by one, by an espeak-ng German,
    French, Spanish or Italian voice (the transcript holds number words). Truth: the digits."""
    codes = ["de", "fr", "es", "it"]
    cases = []
    for i in range(n):
        code = codes[i % len(codes)]
        digits = digit_string(rng, 3, 6)
        text = f"{rng.choice(FOREIGN[code])} {NUMBER_IS[code]} {', '.join(digits)}."
        voice = f"espeak:{ESPEAK_LANGUAGE_VOICE[code]}+{rng.choice(['m1', 'm3', 'f2', 'f4'])}"
        cases.append(Case(f"digits-{code}-{digits}", speak(text, voice=voice), digits))
    return cases

def recorded_digit_cases(rng: np.random.Generator, n: int) -> list[Case]:
    """3-7 digits recorded one by one by the real Spanish, French, Italian and Russian Asterisk
    speakers (a man and three women). Truth: the digits."""
    codes = ["es", "fr", "it", "ru"]
    cases = []
    for i in range(n):
        code = codes[i % len(codes)]
        digits = digit_string(rng, 3, 7)
        cases.append(Case(f"asterisk-{code}-{digits}", asterisk_digits(digits, language=code), digits))
    return cases

def score_digits(output: Any, truth: str) -> float:
    """Right when the transcript, numbers written as digits, ends with exactly the digits."""
    return float(re.sub(r"\D", "", output.in_digits or output.text).endswith(truth))

def score_wer(output: Any, truth: dict) -> float:
    return wer(truth["text"], output.text)

LANGUAGE_NAMES = {"de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "en": "English"}

def score_language(output: Any, truth: dict) -> float:
    """Right when the language is found and named in English, as the summary says it."""
    return float(output.language == truth["language"] and output.language_name == LANGUAGE_NAMES[truth["language"]])

# --- voice activity ------------------------------------------------------------------------

COLLAR_S = 0.1
_FRAME_S = 0.01

def vad_cases(rng: np.random.Generator, n: int) -> list[Case]:
    """2-4 utterances with 0.4-2.5 s pauses, over silence, noise or music (-15 to -3 dB
    relative to the speech). Truth: each utterance's speech extent (pauses inside a sentence
    count as speech)."""
    cases = []
    for i in range(n):
        count = int(rng.integers(2, 5))
        parts = [speak(str(rng.choice(HARVARD)), voice=english_voice(rng)) for _ in range(count)]
        gaps = list(rng.uniform(0.4, 2.5, size=count - 1))
        lead, tail = rng.uniform(0.3, 1.5, size=2)
        audio, spans = place(parts, gaps, float(lead), float(tail))
        kind = ("silence", "noise", "music")[i % 3]
        if kind != "silence":
            bed = background(kind, len(audio) / SR, rng)
            audio = lay_over(audio, bed, float(rng.uniform(-15, -3)))
        cases.append(Case(f"vad-{kind}-{count}utt-{i}", fade(audio), spans))
    return cases

def non_speech_cases(rng: np.random.Generator, n: int) -> list[Case]:
    """3-8 s of noise, music or real drum hits alone: truth is no speech."""
    cases = []
    for i in range(n):
        kind = ("noise", "music", "hits")[i % 3]
        seconds = float(rng.uniform(3, 8))
        if kind == "hits":
            audio, _ = events_clip(int(seconds / 0.45), rng, "drum")
        else:
            audio = background(kind, seconds, rng) * float(rng.uniform(0.05, 0.3))
        cases.append(Case(f"nonspeech-{kind}-{i}", audio.astype(np.float32), []))
    return cases

def speech_mask(spans: list[tuple[float, float]], seconds: float) -> np.ndarray:
    """Boolean per 10 ms frame: inside any span."""
    t = np.arange(int(np.ceil(seconds / _FRAME_S))) * _FRAME_S + _FRAME_S / 2
    mask = np.zeros(len(t), dtype=bool)
    for start, end in spans:
        mask |= (t >= start) & (t < end)
    return mask

def speech_iou(found: list[tuple[float, float]], truth: list[tuple[float, float]],
               seconds: float, collar_s: float = COLLAR_S) -> float:
    """IoU of speech time, ignoring frames within `collar_s` of a true boundary."""
    t = np.arange(int(np.ceil(seconds / _FRAME_S))) * _FRAME_S + _FRAME_S / 2
    edges = np.array([b for span in truth for b in span])
    keep = np.min(np.abs(t[:, None] - edges[None, :]), axis=1) > collar_s if len(edges) else \
        np.ones(len(t), dtype=bool)
    hyp, ref = speech_mask(found, seconds)[keep], speech_mask(truth, seconds)[keep]
    union = np.sum(hyp | ref)
    return float(np.sum(hyp & ref) / union) if union else 1.0

def score_vad(output: Any, truth: list[tuple[float, float]]) -> float:
    found = [(s.start_s, s.end_s) for s in output.segments]
    return speech_iou(found, truth, output.duration_s)

def score_no_speech(output: Any, truth: list) -> float:
    """Right when under 0.25 s of speech is reported."""
    return float(output.speech_s < 0.25)

TASKS: list[ToolTask] = [
    ToolTask(name="English transcription, Whisper base (synthetic voices + real digits)",
             tool="transcribe", metric="word error rate", make_cases=transcription_cases,
             score=score_wer, goal="WER < 0.10", higher_is_better=False),
    ToolTask(name="English transcription, Whisper tiny.en (synthetic voices + real digits)",
             tool="transcribe", metric="word error rate",
             make_cases=partial(transcription_cases, model="tiny.en"),
             score=score_wer, goal="WER < 0.10", higher_is_better=False),
    ToolTask(name="Harvard sentences (low-context, hard), Whisper base", tool="transcribe",
             metric="word error rate", make_cases=partial(transcription_cases, texts=HARVARD),
             score=score_wer, goal="reported: no context to lean on", higher_is_better=False),
    ToolTask(name="speaking rate, 110-300 words per minute (held-out voices)", tool="transcribe",
             metric="share within 10% of the true rate", make_cases=rate_cases, score=score_rate,
             goal=">= 0.9"),
    ToolTask(name="spoken language (espeak-ng de/fr/es/it/en)", tool="transcribe",
             metric="share of clips with the right language, named in English", make_cases=language_cases,
             score=score_language, goal=">= 0.9"),
    ToolTask(name="digits spoken in German, French, Spanish or Italian", tool="transcribe",
             metric="share whose transcript, in digits, holds exactly the digits", make_cases=digit_cases,
             score=score_digits, goal=">= 0.8"),
    ToolTask(name="digits recorded by real Spanish, French, Italian and Russian speakers",
             tool="transcribe", metric="share whose transcript, in digits, holds exactly the digits",
             make_cases=recorded_digit_cases, score=score_digits, goal=">= 0.8"),
    ToolTask(name="speech segments among silence, noise and music", tool="detect_speech",
             metric=f"speech-time IoU ({COLLAR_S:g} s collar)", make_cases=vad_cases,
             score=score_vad, goal=">= 0.9"),
    ToolTask(name="no speech in noise or music alone", tool="detect_speech",
             metric="share of clips with < 0.25 s speech", make_cases=non_speech_cases,
             score=score_no_speech, goal=">= 0.95"),
]
