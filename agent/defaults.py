"""The embedded defaults, overridable by environment variables (for servers and tests).

``AUDIOROUTER_ROUTER_KIND``: ``learned`` (the shipped checkpoint, or ``AUDIOROUTER_ROUTER``),
``all``, ``none``, ``llm`` or ``fixed:tool_a,tool_b``; default ``learned`` when a checkpoint
exists, else ``all``.
``AUDIOROUTER_REASONER_MODEL``: a model spec name (``qwen2.5-coder-1.5b-instruct``,
``smollm2-135m-instruct``) or a GGUF path for the cascade reasoner.
"""

from __future__ import annotations

import os

from audiorouter.tools.errors import AudioRouterError
from audiorouter.tools.models import QWEN_CODER_1_5B, SMOLLM2_135M

from .reasoners import CascadeReasoner
from .routing import AllToolsRouter, FixedRouter, NoToolsRouter, Router

GGUF_MODELS = {spec.name: spec for spec in (QWEN_CODER_1_5B, SMOLLM2_135M)}


def default_reasoner(name: str | None = None) -> CascadeReasoner:
    """The cascade reasoner on ``name`` (a model spec name or GGUF path), else
    ``AUDIOROUTER_REASONER_MODEL``, else Qwen2.5-Coder-1.5B."""
    name = name or os.environ.get("AUDIOROUTER_REASONER_MODEL", QWEN_CODER_1_5B.name)
    return CascadeReasoner(GGUF_MODELS.get(name, name))


def make_router(kind: str | None = None, checkpoint: str | None = None) -> Router:
    """A router by name: ``learned``, ``all``, ``none``, ``llm`` or ``fixed:tool_a,tool_b``."""
    from .policy import DEFAULT_CHECKPOINT, LearnedRouter

    if kind is None:
        kind = os.environ.get("AUDIOROUTER_ROUTER_KIND") or (
            "learned" if checkpoint or os.environ.get("AUDIOROUTER_ROUTER") or DEFAULT_CHECKPOINT.exists()
            else "all")
    if kind == "learned":
        return LearnedRouter(checkpoint)
    if kind == "all":
        return AllToolsRouter()
    if kind == "none":
        return NoToolsRouter()
    if kind == "llm":
        from .llm_router import LLMRouter

        return LLMRouter()
    if kind.startswith("fixed:"):
        return FixedRouter([n.strip() for n in kind.removeprefix("fixed:").split(",") if n.strip()])
    raise AudioRouterError(f"unknown router {kind!r}: use learned, all, none, llm or fixed:a,b")
