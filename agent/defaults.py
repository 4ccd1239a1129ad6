"""The embedded defaults, overridable by environment variables (for servers and tests).

``AUDIOROUTER_ROUTER_KIND``: ``learned`` (the shipped checkpoint, or ``AUDIOROUTER_ROUTER``),
``all``, ``none`` or ``llm``; default ``learned`` when a checkpoint exists, else ``all``.
``AUDIOROUTER_REASONER_MODEL``: a model spec name (``qwen2.5-coder-1.5b-instruct``,
``smollm2-135m-instruct``) or a GGUF path for the cascade reasoner.
"""

from __future__ import annotations

import os

from audiorouter.tools.errors import AudioRouterError
from audiorouter.tools.models import QWEN_CODER_1_5B, SMOLLM2_135M

from .reasoners import CascadeReasoner
from .routing import AllToolsRouter, NoToolsRouter, Router

GGUF_MODELS = {spec.name: spec for spec in (QWEN_CODER_1_5B, SMOLLM2_135M)}


def default_reasoner() -> CascadeReasoner:
    name = os.environ.get("AUDIOROUTER_REASONER_MODEL", QWEN_CODER_1_5B.name)
    return CascadeReasoner(GGUF_MODELS.get(name, name))


def make_router(kind: str | None = None, checkpoint: str | None = None) -> Router:
    """A router by name: ``learned``, ``all``, ``none`` or ``llm``."""
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
    raise AudioRouterError(f"unknown router {kind!r}: use learned, all, none or llm")
