"""What a reasoner returns, and the interface every reasoner implements."""

from __future__ import annotations

from typing import Protocol, Sequence, runtime_checkable

from pydantic import BaseModel, Field

from audiorouter.tools import Clip, Evidence

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
