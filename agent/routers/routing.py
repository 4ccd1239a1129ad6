"""Routes and the simple routers: which tools to call for a question, with which arguments.

The simple routers need no model: the baselines every learned route is measured against
(none, all, random) and a fixed set of tools.
"""

from __future__ import annotations

from typing import Mapping, Protocol, Sequence, runtime_checkable

import numpy as np
from pydantic import BaseModel, Field

from audiorouter.tools import Clip, get_tool, get_tools, tool_names
from audiorouter.tools.cache import cache_key


class ToolCall(BaseModel):
    name: str
    args: dict = Field(default_factory=dict)


class Route(BaseModel):
    """A router's decision: the tool calls to make (possibly none)."""

    calls: list[ToolCall] = Field(default_factory=list)
    router: str = ""
    note: str = Field("", description="why, when the router can say (e.g. the LLM's words)")
    scores: dict[str, float] | None = Field(
        None, description="per-tool call probability, for routers that have one")

    @property
    def tools(self) -> list[str]:
        return [c.name for c in self.calls]

    @classmethod
    def of(cls, calls: Sequence[str] | Mapping[str, dict], router: str = "", **kw) -> "Route":
        named = dict(calls) if isinstance(calls, Mapping) else {n: {} for n in calls}
        for name in named:
            get_tool(name)  # unknown names fail here, with the list of known ones
        return cls(calls=[ToolCall(name=n, args=a) for n, a in named.items()], router=router, **kw)


@runtime_checkable
class Router(Protocol):
    name: str

    def decide(self, question: str, choices: Sequence[str] | None, clip: Clip) -> Route:
        ...


class NoToolsRouter:
    """The reasoner alone: the baseline every route is measured against."""

    name = "none"

    def decide(self, question: str, choices: Sequence[str] | None, clip: Clip) -> Route:
        return Route(router=self.name)


class FixedRouter:
    """The same tools (and arguments) for every question."""

    def __init__(self, calls: Sequence[str] | Mapping[str, dict], name: str = "fixed"):
        self.route = Route.of(calls, router=name)
        self.name = name

    def decide(self, question: str, choices: Sequence[str] | None, clip: Clip) -> Route:
        return self.route.model_copy(deep=True)


class AllToolsRouter(FixedRouter):
    """Every tool in the registry (or the given subset), every time."""

    def __init__(self, tools: Sequence[str] | None = None):
        super().__init__([t.name for t in get_tools(list(tools) if tools else None)], name="all")


class RandomRouter:
    """Each tool independently with probability ``p``: at 0.5 this is an untrained policy over
    the MultiBinary action (half the tools on average). Seeded per item from (seed, clip,
    question, choices), so an item's route never depends on order, limit or a resume."""

    name = "random"

    def __init__(self, seed: int = 0, p: float = 0.5, tools: Sequence[str] | None = None):
        self.seed, self.p = seed, p
        self.tools = list(tools) if tools else tool_names()

    def decide(self, question: str, choices: Sequence[str] | None, clip: Clip) -> Route:
        item_seed = int(cache_key(clip.id, question, list(choices or [])), 16)
        draws = np.random.default_rng([self.seed, item_seed]).random(len(self.tools))
        return Route.of([t for t, u in zip(self.tools, draws) if u < self.p], router=self.name)
