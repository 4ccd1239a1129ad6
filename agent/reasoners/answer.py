"""What a reasoner returns, the interface every reasoner implements, and the checks on both."""

from __future__ import annotations

import math
from typing import Any, Protocol, Sequence, runtime_checkable

import numpy as np
from pydantic import BaseModel, Field

from audiorouter.tools import Clip, Evidence
from audiorouter.tools.errors import AudioRouterError

LETTERS = "ABCDEFGHIJ"


class Answer(BaseModel):
    """A reasoner's answer: text, and for multiple choice the chosen index and probabilities."""

    text: str = Field(description="the answer as text (the chosen option's text for multiple choice)")
    choice: int | None = Field(None, description="index of the chosen option, None for open questions")
    probabilities: list[float] | None = Field(
        None, description="probability per option, where the model exposes scores")
    seconds: float = 0.0
    prompt_tokens: int | None = None
    error: str | None = Field(None, description="set when the reasoner failed and this is a fallback")

    def probability_of(self, index: int) -> float | None:
        if self.probabilities is None:
            return None
        return self.probabilities[index]


@runtime_checkable
class Reasoner(Protocol):
    """A frozen model that answers from the audio, the question and the tool evidence."""

    name: str

    def answer(self, clip: Clip, question: str, choices: Sequence[str] | None,
               evidence: Sequence[Evidence]) -> Answer:
        ...


class ReasonerError(AudioRouterError):
    """A reasoner could not produce an answer (the graph degrades it to an empty answer)."""


def check_choices(choices: Sequence[str] | None) -> None:
    """Refuse a question a reasoner cannot score: multiple choice needs 2 to 10 options."""
    if choices is not None and not 2 <= len(choices) <= len(LETTERS):
        raise ReasonerError(f"multiple choice needs 2 to {len(LETTERS)} options, got {len(choices)}")


def softmax(scores: Sequence[float]) -> np.ndarray:
    z = np.asarray(scores, dtype=np.float64)
    p = np.exp(z - z.max())
    return p / p.sum()


class AnswerError(AudioRouterError):
    """A reasoner returned something a caller cannot trust as an answer."""


def check_answer(answer: Any, choices: Sequence[str] | None) -> Answer:
    """``answer`` when it is an `Answer` that fits the question: for multiple choice a choice
    among the options, and probabilities (when given) one per option, finite, summing to 1."""
    if not isinstance(answer, Answer):
        raise AnswerError(f"the reasoner returned {type(answer).__name__}, not an Answer")
    if choices and answer.error is None:
        if answer.choice is None or not 0 <= answer.choice < len(choices):
            raise AnswerError(f"choice {answer.choice} is not one of the {len(choices)} options")
        p = answer.probabilities
        if p is not None and (len(p) != len(choices) or not all(math.isfinite(x) and x >= 0 for x in p)
                              or abs(sum(p) - 1) > 1e-3):
            raise AnswerError(f"probabilities {p} are not one finite probability per option "
                              "summing to 1")
    return answer
