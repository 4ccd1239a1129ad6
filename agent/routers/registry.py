"""The one place routers are built by name (the CLI, the server's default graph, evaluations).

Names: ``none``, ``all``, ``random``, ``llm``, ``learned`` and ``fixed:tool_a,tool_b``. The
learned and LLM routers are imported only when asked for: they bring torch or a local LLM.
"""

from __future__ import annotations


from audiorouter.tools import ModelSpec
from audiorouter.tools.errors import AudioRouterError
from audiorouter.tools.settings import Settings

from .routing import AllToolsRouter, FixedRouter, NoToolsRouter, RandomRouter, Router

ROUTER_NAMES = ("none", "all", "random", "llm", "learned")
FIXED_PREFIX = "fixed:"


def default_router_name(checkpoint: str | None = None) -> str:
    """``AUDIOROUTER_ROUTER_KIND``, else ``learned`` when a checkpoint exists, else ``all``."""
    from .learned import DEFAULT_CHECKPOINT

    settings = Settings.from_env()
    return settings.router_kind or (
        "learned" if checkpoint or settings.router or DEFAULT_CHECKPOINT.exists()
        else "all")


def make_router(name: str | None = None, *, checkpoint: str | None = None, seed: int = 0,
                llm: ModelSpec | str | None = None) -> Router:
    """A router by name (default: `default_router_name`). ``checkpoint`` is the learned
    router's, ``seed`` the random router's, ``llm`` the LLM router's GGUF (default: the
    package default, Qwen 1.5B)."""
    name = name or default_router_name(checkpoint)
    if name == "learned":
        from .learned import LearnedRouter

        return LearnedRouter(checkpoint)
    if name == "llm":
        from ..chat_local import ChatLocalLLM
        from .llm import LLMRouter

        return LLMRouter(ChatLocalLLM(model=llm) if llm else None)
    if name.startswith(FIXED_PREFIX):
        return FixedRouter([n.strip() for n in name.removeprefix(FIXED_PREFIX).split(",") if n.strip()])
    simple = {"none": NoToolsRouter, "all": AllToolsRouter, "random": lambda: RandomRouter(seed)}
    if name not in simple:
        raise AudioRouterError(f"unknown router {name!r}: use {', '.join(ROUTER_NAMES)} or fixed:a,b")
    return simple[name]()
