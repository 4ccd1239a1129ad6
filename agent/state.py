"""The graph's input, output and internal state.

Input and output schemas are separate from the internal state so the graph embeds cleanly
in a parent graph. Audio travels by reference: after `prepare`, ``audio`` holds the clip's
``clip:<hash>`` reference, never samples, so checkpointers and the LangGraph server work.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any

from typing_extensions import NotRequired, TypedDict  # pydantic reads these on Python < 3.12


def merge(left: dict | None, right: dict | None) -> dict:
    return {**(left or {}), **(right or {})}


EvidenceList = Annotated[list[dict], operator.add]  # parallel tool tasks append
Timings = Annotated[dict[str, float], merge]


class AudioQuestion(TypedDict):
    """Input: ``audio`` is a path, data URI / base64, bytes, (array, rate) or a clip reference."""

    audio: Any
    question: str
    choices: NotRequired[list[str] | None]


class AudioAnswer(TypedDict, total=False):
    """Output: the answer, the route taken and the evidence it rests on."""

    answer: str
    choice: int | None
    probabilities: list[float] | None
    tools_used: list[str]
    route: dict
    evidence: EvidenceList
    timings: Timings
    clip: str
    error: str | None


class AudioRouterState(TypedDict, total=False):
    audio: Any
    question: str
    choices: list[str] | None
    clip: str
    route: dict
    evidence: EvidenceList
    timings: Timings
    answer: str
    choice: int | None
    probabilities: list[float] | None
    tools_used: list[str]
    error: str | None
    route_done_at: float
