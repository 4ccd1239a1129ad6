"""The embedded defaults, overridable by environment variables (for servers and tests).

``AUDIOROUTER_REASONER_MODEL``: a model spec name (``qwen2.5-coder-1.5b-instruct``,
``smollm2-135m-instruct``) or a GGUF path for the cascade reasoner.
"""

from __future__ import annotations

import os

from audiorouter.tools.models import QWEN_CODER_1_5B, SMOLLM2_135M

from .reasoners import CascadeReasoner

GGUF_MODELS = {spec.name: spec for spec in (QWEN_CODER_1_5B, SMOLLM2_135M)}


def default_reasoner(name: str | None = None) -> CascadeReasoner:
    """The cascade reasoner on ``name`` (a model spec name or GGUF path), else
    ``AUDIOROUTER_REASONER_MODEL``, else Qwen2.5-Coder-1.5B."""
    name = name or os.environ.get("AUDIOROUTER_REASONER_MODEL", QWEN_CODER_1_5B.name)
    return CascadeReasoner(GGUF_MODELS.get(name, name))
