"""The AudioRouter graph: prepare -> route -> one parallel task per tool call -> reason.

`build_graph` assembles it from the router and reasoner it is given and returns it compiled
(or, with ``compile=False``, as a `StateGraph` the caller compiles with its own checkpointer or
embeds). The default graph is `factory.make_graph`'s, named in ``langgraph.json``.
"""

from __future__ import annotations

import time
from typing import Any, Sequence

from langgraph.graph import END, START, StateGraph
from langgraph.types import Send

from audiorouter.tools import Evidence, ToolFailure, get_tool, load_audio, resolve_clip
from audiorouter.tools.base import call_with_budget

from .inputs import check_question
from .reasoners.answer import Reasoner, check_answer
from .routers.routing import Route, Router
from .state import AudioAnswer, AudioQuestion, AudioRouterState


def evidence_from_dict(data: dict) -> Evidence:
    """Rebuild a tool's typed result from the plain dict that state carries."""
    if not data.get("ok"):
        return ToolFailure.model_validate(data)
    return get_tool(data["tool"]).output_model.model_validate(data)


class _Nodes:
    """The graph's nodes, closed over one router, one reasoner and the allowed tools."""

    def __init__(self, router: Router, reasoner: Reasoner, tools: Sequence[str] | None,
                 tool_time_budget_s: float | None, cache_tools: bool, router_budget: float,
                 reasoner_budget: float):
        self.router = router
        self.reasoner = reasoner
        self.router_budget = router_budget
        self.reasoner_budget = reasoner_budget
        self.allowed = set(tools) if tools is not None else None
        self.budget = tool_time_budget_s
        self.cache_tools = cache_tools

    def prepare(self, state: AudioRouterState) -> dict:
        start = time.perf_counter()
        asked = check_question(state)  # a QuestionError before any decoding
        clip = load_audio(asked.audio)  # bad audio raises a typed AudioInputError here
        return {"audio": clip.ref, "clip": clip.ref, "question": asked.question,
                "choices": asked.choices, "evidence": [],
                "timings": {"prepare": round(time.perf_counter() - start, 4)}}

    def route(self, state: AudioRouterState) -> dict:
        start = time.perf_counter()
        clip = resolve_clip(state["clip"])
        try:
            route = call_with_budget(self.router.decide, (state["question"], state.get("choices"), clip),
                                     self.router_budget)
            if not isinstance(route, Route):
                raise TypeError(f"decide returned {type(route).__name__}, not a Route")
        except Exception as exc:  # a failing router degrades to no tools, never a crash
            route = Route(router=getattr(self.router, "name", "router"),
                          note=f"router failed ({type(exc).__name__}: {exc}); answering without tools")
        if self.allowed is not None:
            route.calls = [c for c in route.calls if c.name in self.allowed]
        return {"route": route.model_dump(), "tools_used": route.tools, "route_done_at": time.time(),
                "timings": {"route": round(time.perf_counter() - start, 4)}}

    def fan_out(self, state: AudioRouterState) -> list[Send] | str:
        calls = state["route"]["calls"]
        if not calls:
            return "reason"
        return [Send("run_tool", {"clip": state["clip"], "call": call}) for call in calls]

    def run_tool(self, task: dict) -> dict:
        call = task["call"]
        try:
            tool = get_tool(call["name"])
        except Exception as exc:
            failure = ToolFailure(tool=call["name"], error=str(exc), error_type=type(exc).__name__,
                                  summary=f"{call['name']} failed: unknown tool")
            return {"evidence": [failure.model_dump(mode="json")]}
        result = tool.execute(task["clip"], call.get("args") or {}, time_budget_s=self.budget,
                              use_cache=self.cache_tools)
        return {"evidence": [result.model_dump(mode="json")],
                "timings": {f"tool:{result.tool}": result.seconds}}

    def reason(self, state: AudioRouterState) -> dict:
        start = time.perf_counter()
        timings: dict[str, float] = {}
        if state.get("tools_used"):
            timings["tools"] = round(time.time() - state["route_done_at"], 4)
        order = {name: i for i, name in enumerate(state.get("tools_used") or [])}
        evidence = sorted((evidence_from_dict(e) for e in state.get("evidence") or []),
                          key=lambda e: order.get(e.tool, len(order)))
        choices = state.get("choices") or None
        try:
            answer = check_answer(call_with_budget(self.reasoner.answer, (
                resolve_clip(state["clip"]), state["question"], choices, evidence), self.reasoner_budget),
                choices)
            update = {"answer": answer.text, "choice": answer.choice,
                      "probabilities": answer.probabilities, "error": answer.error}
        except Exception as exc:  # a failing model degrades this answer, never the process
            update = {"answer": "", "choice": None, "probabilities": None,
                      "error": f"reasoner failed ({type(exc).__name__}): {exc}"}
        timings["reason"] = round(time.perf_counter() - start, 4)
        return {**update, "evidence": [], "timings": timings}


def build_graph(router: Router, reasoner: Reasoner, *,
                tools: Sequence[str] | None = None, tool_time_budget_s: float | None = None,
                cache_tools: bool = True, router_time_budget_s: float = 120.0,
                reasoner_time_budget_s: float = 600.0, compile: bool = True,
                checkpointer: Any = None, name: str = "audiorouter"):
    """The AudioRouter graph.

    Args:
        router: decides the tool calls (`routers.make_router` builds one by name).
        reasoner: answers from audio, question and evidence (`reasoners.make_reasoner`).
        tools: restrict which tools may run, whatever the router asks.
        tool_time_budget_s: override every tool's time budget.
        cache_tools: reuse tool results for the same clip and arguments (default on).
        router_time_budget_s, reasoner_time_budget_s: past these the question goes on without
            tools, or ends with an empty answer and ``error`` set (a model that overruns
            finishes in the background; a local one keeps its model busy until then).
        compile: return a compiled graph (default) or the `StateGraph` builder.
        checkpointer: passed to ``compile``.
    """
    nodes = _Nodes(router, reasoner, tools, tool_time_budget_s, cache_tools, router_time_budget_s,
                   reasoner_time_budget_s)
    builder = StateGraph(AudioRouterState, input_schema=AudioQuestion, output_schema=AudioAnswer)
    builder.add_node("prepare", nodes.prepare)
    builder.add_node("route", nodes.route)
    builder.add_node("run_tool", nodes.run_tool)
    builder.add_node("reason", nodes.reason)
    builder.add_edge(START, "prepare")
    builder.add_edge("prepare", "route")
    builder.add_conditional_edges("route", nodes.fan_out, ["run_tool", "reason"])
    builder.add_edge("run_tool", "reason")
    builder.add_edge("reason", END)
    if not compile:
        return builder
    return builder.compile(checkpointer=checkpointer, name=name)

