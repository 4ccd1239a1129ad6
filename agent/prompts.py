"""The words every reasoner sees: a coarse description of the audio, the evidence, the question.

Prompt processing is the dominant cost of a CPU reasoner, so everything here is short, and
the order is fixed so that prompts for the same clip share the longest possible prefix
(system, description, question, then evidence, then options): a prefix-caching runtime pays
only for what changed.
"""

from __future__ import annotations

from typing import Sequence

from audiorouter.tools import Clip, Evidence, get_tool

from .answer import LETTERS

SYSTEM = ("You answer questions about an audio recording you cannot hear. Use the description "
          "and the measurements from audio tools; measurements are more reliable than guesses.")


def coarse_description(clip: Clip) -> str:
    """What every reasoner is told, tools or not: length, level and the top sound tags."""
    info = get_tool("audio_info").execute(clip)
    tags = get_tool("tag_sounds").execute(clip, {"top_k": 3})
    parts = [f"{clip.duration:.1f} s long"]
    if info.ok:
        parts.append(f"RMS {info.rms_dbfs:.0f} dBFS")
    if tags.ok and getattr(tags, "labels", None):
        parts.append("sounds like " + ", ".join(t.label for t in tags.labels[:3]))
    return "The recording is " + "; ".join(parts) + "."


def evidence_lines(evidence: Sequence[Evidence]) -> str:
    """One line per successful tool; failures are left out (they carry no information)."""
    return "\n".join(f"- {e.tool}: {e.summary}" for e in evidence if e.ok)


def options_block(choices: Sequence[str], order: Sequence[int] | None = None) -> str:
    order = list(range(len(choices))) if order is None else list(order)
    return "\n".join(f"{LETTERS[pos]}. {choices[i]}" for pos, i in enumerate(order))


def user_prompt(description: str, question: str, evidence: Sequence[Evidence],
                choices: Sequence[str] | None, order: Sequence[int] | None = None) -> str:
    lines = [description, f"Question: {question}"]
    measured = evidence_lines(evidence)
    if measured:
        lines.append("Tool measurements:\n" + measured)
    if choices:  # the instruction first: option rotations then re-read only the options
        lines.append("Answer with the letter of the best option.")
        lines.append("Options:\n" + options_block(choices, order))
    else:
        lines.append("Answer in a few words.")
    return "\n".join(lines)
