"""Speech skills: what is said (digits, words, language), who speaks (how many, whose voice
is highest) and how fast. Voices are the split's flite / espeak-ng speakers; in test, half
of the digit items use the real recorded Asterisk speaker instead.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import synth
from ..texts import DIGIT_WORDS, LANGUAGE_NAMES
from .audio import join
from .parts import speak_at_rate
from .skill import Draft, Rendered, Skill, pick, sample, shuffled
from .sources import ASTERISK_SOURCE, Sources, Voice, text_source

ORDINALS = ("first", "second", "third", "fourth")
# Speaking rates offered (words per minute): neighbours ~30% apart, a window of four per item.
RATES_WPM = (100, 130, 170, 220, 285)
# Voices told apart by pitch: speakers of a count item differ pairwise by 12% in median f0,
# the highest (lowest) voice of a pitch item is 25% above (below) the other two.
COUNT_F0_RATIO = 1.12
PITCH_F0_RATIO = 1.25
TURNS = 4


def _alone(audio: np.ndarray) -> Rendered:
    """One utterance with a little silence around it."""
    return join([audio], []), {}


def _turns(voices: list[str], texts: list[str], rng: np.random.Generator) -> np.ndarray:
    """Utterances one after another with natural pauses."""
    parts = [synth.speak(text, voice=voice) for voice, text in zip(voices, texts)]
    return join(parts, [float(rng.uniform(0.3, 0.6)) for _ in parts[1:]])


# --- spoken digits ------------------------------------------------------------------------

def _draw_digits(rng: np.random.Generator, src: Sources) -> Draft:
    """Options: a digit string and three variants one substitution or swap away from it,
    written without spaces ("0514"): MMAU's scoring compares sets of words, under which
    "0 5 1 4" and "0 1 5 4" would be the same answer."""
    base = [int(d) for d in rng.integers(0, 10, size=int(rng.integers(3, 6)))]
    options = {tuple(base)}
    while len(options) < 4:
        variant = list(base)
        if rng.random() < 0.5:
            i = int(rng.integers(len(base) - 1))
            variant[i], variant[i + 1] = variant[i + 1], variant[i]
        else:
            i = int(rng.integers(len(base)))
            variant[i] = (variant[i] + int(rng.integers(1, 10))) % 10
        options.add(tuple(variant))
    choices = shuffled(rng, ["".join(map(str, o)) for o in sorted(options)])
    answer = pick(rng, choices)
    spec = {"digits": answer}
    if src.recorded_digits and rng.random() < 0.5:
        return Draft(choices, answer, {**spec, "voice": "asterisk"}, [ASTERISK_SOURCE])
    voice = pick(rng, src.voices)
    return Draft(choices, answer, {**spec, "voice": voice.spec()}, [voice.source])


def _render_digits(spec: dict[str, Any], rng: np.random.Generator) -> Rendered:
    if spec["voice"] == "asterisk":
        return synth.asterisk_digits(spec["digits"]), {}
    text = ", ".join(DIGIT_WORDS[int(d)] for d in spec["digits"])
    return _alone(synth.speak(text, voice=spec["voice"]))


# --- spoken word --------------------------------------------------------------------------

def _draw_word(rng: np.random.Generator, src: Sources) -> Draft:
    """Options: a group of four words that differ in one sound."""
    group = pick(rng, src.word_groups)
    choices = shuffled(rng, group.words)
    answer = pick(rng, choices)
    voice = pick(rng, src.voices)
    return Draft(choices, answer, {"word": answer, "voice": voice.spec()},
                 [voice.source, text_source(group)])


def _render_word(spec: dict[str, Any], rng: np.random.Generator) -> Rendered:
    return _alone(synth.speak(spec["word"], voice=spec["voice"]))


# --- language -----------------------------------------------------------------------------

def _draw_language(rng: np.random.Generator, src: Sources) -> Draft:
    """Options: four of the ten languages; the sentence is the same content in each."""
    codes = sample(rng, list(LANGUAGE_NAMES), 4)
    choices = [LANGUAGE_NAMES[c] for c in codes]
    answer = pick(rng, choices)
    code = codes[choices.index(answer)]
    text = pick(rng, src.language_sentences[code])
    voice = pick(rng, src.espeak_voices)
    return Draft(choices, answer, {"language": code, "text": text.text,
                                   "voice": voice.spec(code)},
                 [voice.source, text_source(text)])


def _render_language(spec: dict[str, Any], rng: np.random.Generator) -> Rendered:
    return _alone(synth.speak(spec["text"], voice=spec["voice"]))


# --- speaker count ------------------------------------------------------------------------

def _distinct_voices(rng: np.random.Generator, pool: tuple[Voice, ...], n: int) -> list[Voice]:
    """`n` voices whose median f0 differ pairwise by COUNT_F0_RATIO."""
    for _ in range(100):
        chosen: list[Voice] = []
        for voice in shuffled(rng, pool):
            if all(max(voice.f0_hz, c.f0_hz) / min(voice.f0_hz, c.f0_hz) >= COUNT_F0_RATIO
                   for c in chosen):
                chosen.append(voice)
            if len(chosen) == n:
                return chosen
    raise ValueError(f"no {n} voices {COUNT_F0_RATIO}x apart in this split")


def _draw_speaker_count(rng: np.random.Generator, src: Sources) -> Draft:
    """Always four turns, so the clip's length says nothing about the count."""
    choices = ["1", "2", "3", "4"]
    answer = pick(rng, choices)
    n = int(answer)
    voices = _distinct_voices(rng, src.voices, n)
    order = shuffled(rng, range(n))  # everyone speaks; nobody twice in a row
    while len(order) < TURNS:
        order.append(pick(rng, [i for i in range(n) if i != order[-1]] or [0]))
    texts = sample(rng, src.sentences, TURNS)
    spec = {"speakers": n, "turns": [voices[i].spec() for i in order],
            "texts": [t.text for t in texts]}
    return Draft(choices, answer, spec,
                 [v.source for v in voices] + [text_source(t) for t in texts])


def _render_speaker_count(spec: dict[str, Any], rng: np.random.Generator) -> Rendered:
    return _turns(spec["turns"], spec["texts"], rng), {}


# --- speaker pitch order ------------------------------------------------------------------

def _draw_pitch_order(rng: np.random.Generator, src: Sources) -> Draft:
    """Three voices; the one asked about is PITCH_F0_RATIO beyond the other two."""
    extreme = pick(rng, ("highest", "lowest"))
    choices = [f"the {o} speaker" for o in ORDINALS[:3]]
    answer = pick(rng, choices)
    sign = 1.0 if extreme == "highest" else -1.0

    def beaten(voice: Voice) -> list[Voice]:
        return [o for o in src.voices
                if sign * np.log(voice.f0_hz / o.f0_hz) >= np.log(PITCH_F0_RATIO)]

    target = pick(rng, [v for v in src.voices if len(beaten(v)) >= 2])
    voices = sample(rng, beaten(target), 2)
    voices.insert(choices.index(answer), target)
    texts = sample(rng, src.sentences, 3)
    spec = {"extreme": extreme, "voices": [v.spec() for v in voices],
            "f0_hz": [v.f0_hz for v in voices], "texts": [t.text for t in texts]}
    return Draft(choices, answer, spec,
                 [v.source for v in voices] + [text_source(t) for t in texts])


def _render_pitch_order(spec: dict[str, Any], rng: np.random.Generator) -> Rendered:
    return _turns(spec["voices"], spec["texts"], rng), {}


# --- speech rate --------------------------------------------------------------------------

def _draw_rate(rng: np.random.Generator, src: Sources) -> Draft:
    """Options: four neighbouring rates of RATES_WPM."""
    start = int(rng.integers(len(RATES_WPM) - 3))
    rates = RATES_WPM[start:start + 4]
    choices = [f"about {r} words per minute" for r in rates]
    answer = pick(rng, choices)
    voice, text = pick(rng, src.voices), pick(rng, src.sentences)
    spec = {"wpm": rates[choices.index(answer)], "voice": voice.spec(), "text": text.text}
    return Draft(choices, answer, spec, [voice.source, text_source(text)])


def _render_rate(spec: dict[str, Any], rng: np.random.Generator) -> Rendered:
    audio, measured = speak_at_rate(spec["text"], spec["voice"], spec["wpm"])
    return join([audio], []), {"measured_wpm": round(measured, 1)}


SPEECH_SKILLS = (
    Skill("spoken_digits", "speech", "Content", "spoken digits",
          ("Which sequence of digits is spoken?",
           "What digits does the speaker read out, in order?",
           "Listen to the numbers. Which digit sequence do you hear?"),
          _draw_digits, _render_digits, difficulty="easy"),
    Skill("spoken_word", "speech", "Content", "spoken word",
          ("Which word is spoken?", "What word does the speaker say?",
           "Which of these words do you hear?"),
          _draw_word, _render_word),
    Skill("language", "speech", "Identification", "spoken language",
          ("Which language is spoken?", "What language is the speaker using?",
           "In which language is this sentence said?"),
          _draw_language, _render_language, difficulty="easy"),
    Skill("speaker_count", "speech", "Counting", "speaker count",
          ("How many different speakers are in the recording?",
           "How many distinct voices take turns speaking?",
           "Count the different people who speak. How many are there?"),
          _draw_speaker_count, _render_speaker_count, difficulty="hard"),
    Skill("speaker_pitch", "speech", "Comparison", "speaker pitch order",
          ("Three people speak in turn. Which one has the {extreme} voice?",
           "Which speaker's voice is pitched {extreme}?",
           "Of the three voices, which is the {extreme}?"),
          _draw_pitch_order, _render_pitch_order),
    Skill("speech_rate", "speech", "Paralinguistics", "speech rate",
          ("How fast does the person speak?", "About how many words per minute are spoken?",
           "What is the speaking rate?"),
          _draw_rate, _render_rate, difficulty="hard"),
)
