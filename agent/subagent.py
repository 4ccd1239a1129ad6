"""Embedding the AudioRouter graph in larger LangGraph apps: as a tool, or as a node."""

from __future__ import annotations

from typing import Any, Callable

from langchain_core.messages import AIMessage
from langchain_core.tools import StructuredTool
from pydantic import BaseModel, Field


class AskAboutAudio(BaseModel):
    audio: str = Field(description="path, URL-safe base64 or data URI of the audio to examine")
    question: str = Field(description="the question about the audio")
    choices: list[str] | None = Field(None, description="answer options, for multiple choice")


def summarise(result: dict) -> str:
    tools = ", ".join(result.get("tools_used") or []) or "no tools"
    if result.get("error"):
        return f"could not answer: {result['error']}"
    return f"{result['answer']} (checked with {tools})"


def as_tool(graph: Any, *, name: str = "ask_about_audio",
            description: str = ("Answer a question about an audio recording (speech, sounds, music): "
                                "counts, notes, tempo, words, speakers, loudness.")) -> StructuredTool:
    """The graph as a LangChain tool a parent agent can call; the artifact is the full output."""

    def ask(audio: str, question: str, choices: list[str] | None = None) -> tuple[str, dict]:
        result = graph.invoke({"audio": audio, "question": question, "choices": choices})
        return summarise(result), result

    return StructuredTool.from_function(func=ask, name=name, description=description,
                                        args_schema=AskAboutAudio, response_format="content_and_artifact")


def as_node(graph: Any, *, audio_key: str = "audio", messages_key: str = "messages") -> Callable[[dict], dict]:
    """A node for a messages-based parent graph: answers the last user message about
    ``state[audio_key]`` and appends the answer as an AI message."""

    def node(state: dict) -> dict:
        question = state[messages_key][-1].text
        result = graph.invoke({"audio": state[audio_key], "question": question})
        return {messages_key: [AIMessage(summarise(result), name="audiorouter",
                                         additional_kwargs={"audiorouter": {
                                             k: result.get(k) for k in ("answer", "tools_used", "clip")}})]}

    return node
