"""Routers: which tools to call for a question, built by name in `registry`.

`routing` holds the route type and the model-free routers, `learned` the trained policy
(with the `features` it reads), `llm` a chat model choosing tools by their schemas.
"""

from .registry import ROUTER_NAMES, make_router
from .routing import AllToolsRouter, FixedRouter, NoToolsRouter, RandomRouter, Route, Router, ToolCall

__all__ = ["ROUTER_NAMES", "AllToolsRouter", "FixedRouter", "NoToolsRouter", "RandomRouter", "Route",
           "Router", "ToolCall", "make_router"]
