"""What a caller may ask: one question about one recording, checked before any work is done.

Every entry point (the graph, the sub-agent tool and node, the command line, the server)
checks its input here, so a bad question fails in milliseconds with a `QuestionError` that
says what to pass, instead of after the router and the tools have run.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from audiorouter.tools.errors import AudioRouterError

from .reasoners.answer import LETTERS

MAX_CHOICES = len(LETTERS)


class QuestionError(AudioRouterError, ValueError):
    """The question or its answer options cannot be used; the message says what to pass."""


class Question(BaseModel):
    """A question about ``audio`` with optional answer options (2 to 10, distinct, non-empty)."""

    model_config = ConfigDict(arbitrary_types_allowed=True, extra="ignore")

    audio: Any
    question: str
    choices: list[str] | None = None

    @field_validator("audio")
    @classmethod
    def _some_audio(cls, audio: Any) -> Any:
        if audio is None or (isinstance(audio, (str, bytes)) and not audio.strip()):
            raise ValueError("no audio given: pass a file path, bytes, base64 or (array, rate)")
        return audio

    @field_validator("question", mode="before")
    @classmethod
    def _real_question(cls, question: Any) -> str:
        if not isinstance(question, str) or not question.strip():
            raise ValueError(f"the question must be non-empty text, not {question!r}")
        return question.strip()

    @field_validator("choices", mode="before")
    @classmethod
    def _usable_choices(cls, choices: Any) -> list[str] | None:
        if choices is None:
            return None
        if isinstance(choices, str):
            raise ValueError(f"choices must be a list of options, e.g. ['2', '3', '4'], not the "
                             f"string {choices!r}")
        options = [str(c).strip() if isinstance(c, (str, int, float)) else c for c in choices]
        if not all(isinstance(c, str) and c for c in options):
            raise ValueError(f"every option must be non-empty text, not {list(choices)!r}")
        if not 2 <= len(options) <= MAX_CHOICES:
            raise ValueError(f"give 2 to {MAX_CHOICES} options (or none for an open question), "
                             f"not {len(options)}")
        if len({o.casefold() for o in options}) != len(options):
            raise ValueError(f"the options must differ from one another: {options}")
        return options


def check_question(data: Any) -> Question:
    """``data`` (a mapping with ``audio``, ``question``, optional ``choices``) checked, or a
    `QuestionError` naming every problem."""
    if not isinstance(data, dict):
        raise QuestionError(f"pass a dict like {{'audio': 'a.wav', 'question': '...'}}, "
                            f"not a {type(data).__name__}")
    try:
        return Question.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(_problem(e) for e in exc.errors())
        raise QuestionError(f"{problems} (input: {{'audio': ..., 'question': '...', "
                            "'choices': [...] optional}})") from None


def _problem(error: dict) -> str:
    field = ".".join(str(p) for p in error["loc"]) or "input"
    if error["type"] == "missing":
        return f"'{field}' is missing"
    return f"{field}: {error['msg'].removeprefix('Value error, ')}"
