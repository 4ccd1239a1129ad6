"""`ChatLocalLLM`: the local GGUF model as a LangChain chat model, tool calling included.

Tool calling follows the Qwen2.5 chat template the model was trained on: function
signatures inside ``<tools></tools>`` in the system turn, calls answered as
``<tool_call>{"name": ..., "arguments": {...}}</tool_call>``. The system turn with the tool
block is a fixed prefix, evaluated on its own as an anchor of the local runtime's prefix
reuse, so it is paid for once per process.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any, Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ConfigDict

from audiorouter.tools import ModelSpec
from audiorouter.tools.cache import ResultCache, cache_key
from audiorouter.tools.models import QWEN_CODER_1_5B

from .local_llm import chatml, load_local_llm

_TOOLS_HEADER = ("\n\n# Tools\n\nYou may call one or more functions to assist with the user query."
                 "\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>\n")
_TOOLS_FOOTER = ("\n</tools>\n\nFor each function call, return a json object with function name and "
                 "arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n"
                 '{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>')
_generations = ResultCache("chat-local")
_CALL = re.compile(r"<tool_call>\s*(\{.*?\})\s*</tool_call>", re.S)


class ChatLocalLLM(BaseChatModel):
    """A LangChain chat model over `LocalLLM` (greedy decoding, deterministic)."""

    model: Any = QWEN_CODER_1_5B  # a ModelSpec or a GGUF path
    max_tokens: int = 120
    n_ctx: int = 4096
    model_config = ConfigDict(arbitrary_types_allowed=True)

    @property
    def _llm_type(self) -> str:
        return "audiorouter-local-gguf"

    @property
    def model_name(self) -> str:
        return self.model.name if isinstance(self.model, ModelSpec) else str(self.model)

    def bind_tools(self, tools: Sequence[Any], *, tool_choice: Any = None, **kwargs: Any):
        return self.bind(tools=[convert_to_openai_tool(t) for t in tools], **kwargs)

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: Any = None, tools: list[dict] | None = None, **kwargs: Any) -> ChatResult:
        turns = _turns(messages, tools or [])
        prompt = chatml(turns)
        key = cache_key(self.model_name, prompt, self.max_tokens, stop or [])
        text = _generations.get(key)
        if text is None:  # greedy decoding is deterministic: a repeated prompt is a lookup
            llm = load_local_llm(self.model, self.n_ctx)
            if turns and turns[0][0] == "system":  # the fixed prefix, computed once: an anchor
                llm.prefill(chatml(turns[:1], open_assistant=False))
            text = llm.generate(prompt, max_tokens=self.max_tokens, stop=tuple(stop or ()))
            _generations.put(key, text)
        calls = _parse_tool_calls(text) if tools else []
        content = _CALL.sub("", text).strip() if calls else text
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=content, tool_calls=calls))])


def _turns(messages: list[BaseMessage], tools: list[dict]) -> list[tuple[str, str]]:
    turns: list[tuple[str, str]] = []
    for m in messages:
        if m.type == "system":
            turns.append(("system", m.text))
        elif m.type == "human":
            turns.append(("user", m.text))
        elif m.type == "ai":
            calls = "".join(f"\n<tool_call>\n{json.dumps({'name': c['name'], 'arguments': c['args']})}\n</tool_call>"
                            for c in getattr(m, "tool_calls", []) or [])
            turns.append(("assistant", (m.text + calls).strip()))
        elif isinstance(m, ToolMessage):
            turns.append(("user", f"<tool_response>\n{m.text}\n</tool_response>"))
    if tools:
        signatures = "\n".join(json.dumps(t, separators=(",", ":")) for t in tools)
        block = _TOOLS_HEADER + signatures + _TOOLS_FOOTER
        if turns and turns[0][0] == "system":
            turns[0] = ("system", turns[0][1] + block)
        else:
            turns.insert(0, ("system", "You are a helpful assistant." + block))
    return turns


def _parse_tool_calls(text: str) -> list[dict]:
    """Calls in ``<tool_call>`` tags; small models often drop the tags (or fence the JSON),
    so bare ``{"name": ..., "arguments": ...}`` objects count too."""
    calls = []
    for data in _json_objects(text):
        if isinstance(data.get("name"), str):
            args = data.get("arguments", data.get("parameters")) or {}
            calls.append({"name": data["name"], "args": args if isinstance(args, dict) else {},
                          "id": f"call_{uuid.uuid4().hex[:12]}", "type": "tool_call"})
    return calls


def _json_objects(text: str) -> list[dict]:
    decoder = json.JSONDecoder()
    found, pos = [], text.find("{")
    while pos != -1:
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            pos = text.find("{", pos + 1)
            continue
        if isinstance(value, dict):
            found.append(value)
        pos = text.find("{", end)
    return found
