"""What a text reasoner reads: a fixed instruction with worked examples, then the item.

The prompt has two parts, and the split is the point:

* a **fixed prefix** (system instruction and hand-written worked examples) that is the same
  for every question, so a prefix-caching runtime computes it once per process;
* the **item turn**: the clip's length, each tool's one-line summary, the question.

The worked examples show a small model what the task is: find the measured fact and answer
with it, in the words of the question. They are written by hand (never taken from the
benchmark's dev or test items), cover reading in general (copying a value, matching a rounded
number, naming the ordinal a tool names, mapping a tag to a plain description) and hold no
rules for particular question types. The options are not listed in the prompt: each option's
text is scored as the answer (see `cascade`), so the probability of an option does not
depend on where it stands or which other options are offered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from audiorouter.tools import Evidence

from .answer import LETTERS

SYSTEM = ("You answer questions about an audio clip from what audio tools measured in it; you "
          "cannot hear it yourself. Find the measurement that answers the question and reply "
          "with that fact in a few words, in the question's own terms. Measurements are more "
          "reliable than guesses.")

HEARING_SYSTEM = ("You answer questions about the audio recording you are given. Tool "
                  "measurements of the same recording are included when available; trust them "
                  "over your impression for counts, pitches, tempi and other details.")


@dataclass(frozen=True)
class WorkedExample:
    """One demonstration: tool summaries as a prompt shows them, a question, its answer."""

    seconds: float
    evidence: tuple[str, ...]  # "tool: summary" lines
    question: str
    answer: str


WORKED_EXAMPLES: tuple[WorkedExample, ...] = (
    WorkedExample(4.2, ('transcribe: "Please call me back on five one two, thanks."; English; 8 '
                        'words, 2.8 words per second (166 words per minute)',),
                  "Which number does the caller leave?", "512"),
    WorkedExample(3.1, ("count_events: 6 sound events from 0.3 s, one every 0.40 s",
                        "tag_sounds: Knock, Door"),
                  "How many knocks are there?", "6"),
    WorkedExample(2.4, ("analyze_pitch: pitch D4 (293 Hz), steady; voiced 88%",
                        "tag_sounds: Flute, Music"),
                  "What note does the flute hold?", "D4"),
    WorkedExample(6.0, ("measure_loudness: 3 sounds: first 1.0 s -20 LUFS, second 1.1 s -31, "
                        "third 0.9 s -14; loudest the third, quietest the second (17 dB apart)",
                        "tag_sounds: 3 sounds in order: first Bark / Dog, second Bark / Dog, "
                        "third (last) Dog / Bark"),
                  "Which bark is the softest?", "the second bark"),
    WorkedExample(5.5, ("analyze_speakers: 2 speakers, in order of speaking: first female voice "
                        "212 Hz, second male voice 118 Hz; lowest voice the second speaker, "
                        "highest voice the first speaker",
                        'transcribe: "Are you coming tonight? Yes, at nine."; English; 7 words, '
                        "2.8 words per second (168 words per minute)"),
                  "Who answers the question, a man or a woman?", "a man"),
    WorkedExample(12.0, ("analyze_rhythm: tempo 124 BPM (confidence 0.8), 24 beats",
                         "analyze_harmony: key A minor (strength 0.8); chords Am F C G"),
                  "Roughly how fast is the song?", "about 125 beats per minute"),
    WorkedExample(3.0, ("measure_loudness: one sound lasting 1.8 s (from 0.5 to 2.3 s), -18 LUFS",
                        "tag_sounds: Siren, Vehicle"),
                  "For how long does the siren sound?", "about 2 seconds"),
    WorkedExample(7.5, ("tag_sounds: 3 sounds in order: first Sine wave / Beep, bleep, second "
                        "Dog / Bark, third (last) Music / Guitar",),
                  "What comes right after the beep?", "a dog barking"),
)


def evidence_lines(evidence: Sequence[Evidence]) -> list[str]:
    """One "tool: summary" line per successful tool; failures carry no information."""
    return [f"{e.tool}: {e.summary}" for e in evidence if e.ok]


def item_turn(seconds: float, evidence: Sequence[str], question: str) -> str:
    """The user turn of one question: the clip's length (known without any tool), what the
    tools measured, then the question, right before the answer."""
    measured = "\n".join(f"- {line}" for line in evidence) if evidence else "none"
    return f"Clip: {seconds:.1f} s\nTools:\n{measured}\nQuestion: {question.strip()}"


def chat_turns(seconds: float, evidence: Sequence[str], question: str,
               examples: Sequence[WorkedExample] = WORKED_EXAMPLES) -> list[tuple[str, str]]:
    """(role, text) turns: the fixed prefix, then the item's user turn."""
    turns = [("system", SYSTEM)]
    for ex in examples:
        turns += [("user", item_turn(ex.seconds, ex.evidence, ex.question)), ("assistant", ex.answer)]
    return turns + [("user", item_turn(seconds, evidence, question))]


def lettered_options(choices: Sequence[str], order: Sequence[int] | None = None) -> str:
    order = list(range(len(choices))) if order is None else list(order)
    return "\n".join(f"{LETTERS[pos]}. {choices[i]}" for pos, i in enumerate(order))


def lettered_prompt(seconds: float, evidence: Sequence[Evidence], question: str,
                    choices: Sequence[str] | None) -> str:
    """The item turn with the options listed by letter: for models read through their reply."""
    text = item_turn(seconds, evidence_lines(evidence), question)
    if choices:
        return text + "\nOptions:\n" + lettered_options(choices) + "\nAnswer with the letter of the best option."
    return text + "\nAnswer in a few words."
