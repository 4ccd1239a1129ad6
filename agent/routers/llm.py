"""An LLM router: a chat model reads the tools' JSON schemas and answers with tool calls."""

from __future__ import annotations

from typing import Any, Sequence

from langchain_core.messages import HumanMessage, SystemMessage

from audiorouter.tools import Clip, get_tools
from audiorouter.tools.errors import AudioRouterError

from ..reasoners.answer import LETTERS
from .routing import Route, ToolCall

ROUTER_SYSTEM = ("You choose which audio analysis tools to run before another model answers a "
                 "question about a recording. Call only the tools whose measurements help answer "
                 "this question (usually one or two); call none if no tool helps.")


class LLMRouter:
    """Routes through LangChain tool calling with any chat model (default: the local GGUF)."""

    name = "llm"

    def __init__(self, chat_model: Any = None, *, tools: Sequence[str] | None = None, max_calls: int = 4):
        self._chat_model = chat_model
        self.tools = get_tools(list(tools) if tools else None)
        self.max_calls = max_calls

    @property
    def chat_model(self) -> Any:
        if self._chat_model is None:
            from ..chat_local import ChatLocalLLM

            self._chat_model = ChatLocalLLM()
        return self._chat_model

    def decide(self, question: str, choices: Sequence[str] | None, clip: Clip) -> Route:
        options = "".join(f"\n{LETTERS[i]}. {c}" for i, c in enumerate(choices or []))
        ask = f"Recording: {clip.duration:.1f} s.\nQuestion: {question}{options}"
        reply = self.chat_model.bind_tools(self.tools).invoke(
            [SystemMessage(ROUTER_SYSTEM), HumanMessage(ask)])
        known = {t.name: t for t in self.tools}
        calls: list[ToolCall] = []
        notes: list[str] = []
        for call in reply.tool_calls:
            tool = known.get(call["name"])
            if tool is None or call["name"] in {c.name for c in calls}:
                notes.append(f"ignored call to {call['name']!r}")
                continue
            try:
                args = tool.parse_args(call.get("args") or {}).model_dump()
            except AudioRouterError:
                notes.append(f"{call['name']}: invalid arguments, defaults used")
                args = {}
            calls.append(ToolCall(name=call["name"], args=args))
        return Route(calls=calls[: self.max_calls], router=self.name,
                     note="; ".join(notes) or (reply.text or "")[:200])
