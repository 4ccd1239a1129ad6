"""Embedding the AudioRouter graph in larger LangGraph apps: as a tool, or as a node.

A bad call (a missing file, a question without text) must not take the parent down: the tool
answers it with an error `ToolMessage` the calling model can read and recover from, and the
node with an AI message that says what went wrong; the parent's other work goes on.
"""

from __future__ import annotations

from typing import Any, Callable

from langchain_core.messages import AIMessage
from langchain_core.tools import StructuredTool, ToolException
from pydantic import BaseModel, Field

from audiorouter.tools.errors import AudioRouterError


class AskAboutAudio(BaseModel):
    audio: str = Field(description="local path, base64 or data URI of the audio to examine "
                                   "(URLs are not fetched)")
    question: str = Field(description="the question about the audio")
    choices: list[str] | None = Field(None, description="answer options, for multiple choice")


def summarise(result: dict, *, with_evidence: bool = False) -> str:
    """The chat text of an answer: the answer and the tools it rests on (their summaries too
    with ``with_evidence``)."""
    if result.get("error"):
        return f"could not answer: {result['error']}"
    tools = ", ".join(result.get("tools_used") or []) or "no tools"
    text = f"{result['answer']} (checked with {tools})"
    if with_evidence:
        text += "".join(f"\n- {e['tool']}: {e['summary']}" for e in result.get("evidence") or []
                        if e.get("ok"))
    return text


def as_tool(graph: Any, *, name: str = "ask_about_audio",
            description: str = ("Answer a question about an audio recording (speech, sounds, music): "
                                "counts, notes, tempo, words, speakers, loudness.")) -> StructuredTool:
    """The graph as a LangChain tool a parent agent can call; the artifact is the full output.
    A call the graph refuses comes back as a `ToolMessage` with ``status="error"``."""

    def ask(audio: str, question: str, choices: list[str] | None = None) -> tuple[str, dict]:
        try:
            result = graph.invoke({"audio": audio, "question": question, "choices": choices})
        except AudioRouterError as exc:
            raise ToolException(f"{type(exc).__name__}: {exc}") from exc
        return summarise(result), result

    return StructuredTool.from_function(func=ask, name=name, description=description,
                                        args_schema=AskAboutAudio, handle_tool_error=True,
                                        response_format="content_and_artifact")


def as_node(graph: Any, *, audio_key: str = "audio", choices_key: str = "choices",
            messages_key: str = "messages", with_evidence: bool = False) -> Callable[[dict], dict]:
    """A node for a messages-based parent graph: answers the last message about
    ``state[audio_key]`` (with ``state[choices_key]`` as options when the parent has them) and
    appends the answer as an AI message; the full output rides in its ``additional_kwargs``."""

    def node(state: dict) -> dict:
        question = state[messages_key][-1].text
        try:
            result = graph.invoke({"audio": state.get(audio_key), "question": question,
                                   "choices": state.get(choices_key)})
        except AudioRouterError as exc:
            result = {"answer": "", "error": f"{type(exc).__name__}: {exc}"}
        details = {k: result.get(k) for k in ("answer", "choice", "probabilities", "tools_used",
                                              "clip", "error")}
        return {messages_key: [AIMessage(summarise(result, with_evidence=with_evidence),
                                         name="audiorouter",
                                         additional_kwargs={"audiorouter": details})]}

    return node
