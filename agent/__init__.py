"""The LangGraph agent: a router picks tools, they run in parallel, a frozen reasoner answers.

Routers live in `routers`, reasoners in `reasoners`, each built by name in its registry;
`builder.build_graph` assembles a graph from the two, `factory.make_graph` the default one.
Importing this package loads no model: ``from audiorouter.agent import graph`` builds the
default graph on first access. Of this project, the agent imports only `audiorouter.tools`.
"""

from typing import Any

from .builder import build_graph
from .factory import make_graph
from .reasoners import Answer, Reasoner, ReasonerError, make_reasoner
from .reasoners.cascade import CascadeReasoner
from .reasoners.chat import ChatModelReasoner
from .routers import AllToolsRouter, FixedRouter, NoToolsRouter, Route, Router, ToolCall, make_router

__all__ = [
    "AllToolsRouter", "Answer", "CascadeReasoner", "ChatModelReasoner", "FixedRouter", "NoToolsRouter",
    "Reasoner", "ReasonerError", "Route", "Router", "ToolCall", "build_graph", "graph", "make_graph",
    "make_reasoner", "make_router",
]


def __getattr__(name: str) -> Any:
    """``graph``: the default graph, built on first access (PEP 562), not at import."""
    if name == "graph":
        return make_graph()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
