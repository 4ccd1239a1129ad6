"""Routes as keys and answered routes as records: what the schedule answers once per distinct
route and what the prediction files hold."""

from __future__ import annotations

import json
from typing import Mapping

from audiorouter.agent.reasoners.answer import Answer
from audiorouter.agent.routers.routing import Route, ToolCall
from audiorouter.data.items import Item
from audiorouter.data.mmau import is_correct
from audiorouter.tools import Evidence, get_tool, tool_names

CallKey = tuple[str, str]  # (tool, its parsed arguments as canonical JSON)
RouteKey = tuple[CallKey, ...]


def call_key(call: ToolCall) -> CallKey:
    args = get_tool(call.name).parse_args(call.args).model_dump(mode="json")
    return call.name, json.dumps(args, sort_keys=True)


def route_key(route: Route) -> RouteKey:
    return tuple(call_key(c) for c in route.calls)


def prefix_order(key: RouteKey) -> list[tuple[int, str]]:
    """Sort routes as the tools appear in prompts: neighbours then share the longest prefix."""
    order = {name: i for i, name in enumerate(tool_names())}
    return [(order[name], args) for name, args in key]


def route_record(item: Item, router: str, route: Route, answer: Answer,
                 evidence: Mapping[CallKey, Evidence], route_s: float) -> dict:
    """One router's answered route on one item, as the prediction files hold it."""
    return {**item.record(), "model_output": answer.text, "model_prediction": answer.text,
            "router": router, "tools_used": route.tools,
            "calls": [c.model_dump(mode="json") for c in route.calls],
            "choice": answer.choice, "probabilities": answer.probabilities,
            "correct": is_correct(item.answer, answer.text, item.choices),
            "seconds": {"route": route_s, "tools": round(sum(evidence[c].seconds for c in route_key(route)), 4),
                        "reason": answer.seconds},
            "note": route.note, "error": answer.error}


def record_key(record: dict) -> RouteKey:
    return route_key(Route.model_validate({"calls": record["calls"]}))


def failed_record(item: Item, router: str, exc: Exception) -> dict:
    """An item that could not be answered: an empty prediction (wrong, as MMAU scores it)."""
    return route_record(item, router, Route(), Answer(text="", error=f"{type(exc).__name__}: {exc}"), {}, 0.0)

