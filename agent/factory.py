"""The default graph: the registries' default router and reasoner, built on first request.

``langgraph.json`` names `make_graph`, so the LangGraph server builds the graph when it loads
it, not when a module is imported; `audiorouter.agent.graph` is the same graph for Python
users. The router and reasoner follow ``AUDIOROUTER_ROUTER_KIND``, ``AUDIOROUTER_ROUTER`` and
``AUDIOROUTER_REASONER_MODEL`` as they are when it is first built.
"""

from __future__ import annotations

import functools

from .builder import build_graph
from .reasoners.registry import make_reasoner
from .routers.registry import make_router


@functools.cache
def make_graph():
    """The default graph, compiled; built once per process (the server may ask for it per run,
    and the learned router's checkpoint is read once)."""
    return build_graph(make_router(), make_reasoner())
