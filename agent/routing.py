"""Routes and the simple routers: which tools to call for a question, with which arguments."""

from __future__ import annotations

from typing import Mapping, Protocol, Sequence, runtime_checkable

from pydantic import BaseModel, Field

from audiorouter.tools import Clip, get_tool, get_tools


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
