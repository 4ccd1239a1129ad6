"""The LangGraph graph: routers, parallel tools and frozen reasoners (imports only `tools`)."""

from .graph import build_graph, graph
from .reasoners.answer import Answer, Reasoner, ReasonerError
from .reasoners.cascade import CascadeReasoner
from .reasoners.chat import ChatModelReasoner
from .routers.routing import AllToolsRouter, FixedRouter, NoToolsRouter, Route, Router, ToolCall

__all__ = [
    "AllToolsRouter", "Answer", "CascadeReasoner", "ChatModelReasoner", "FixedRouter",
    "NoToolsRouter", "Reasoner", "ReasonerError", "Route", "Router", "ToolCall", "build_graph", "graph",
]
