"""The LangGraph graph: routers, parallel tools and frozen reasoners (imports only `tools`)."""

from .answer import Answer, Reasoner
from .graph import build_graph, graph
from .reasoners import CascadeReasoner, ChatModelReasoner, ReasonerError
from .routers.routing import AllToolsRouter, FixedRouter, NoToolsRouter, Route, Router, ToolCall

__all__ = [
    "AllToolsRouter", "Answer", "CascadeReasoner", "ChatModelReasoner", "FixedRouter",
    "NoToolsRouter", "Reasoner", "ReasonerError", "Route", "Router", "ToolCall", "build_graph", "graph",
]
