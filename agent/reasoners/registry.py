"""The one place reasoners are built by name: the cascade reasoner on a local GGUF model.

``AUDIOROUTER_REASONER_MODEL`` names the default model: a model spec name
(``qwen2.5-coder-1.5b-instruct``, ``smollm2-135m-instruct``) or a GGUF path.
"""

from __future__ import annotations


from audiorouter.tools.models import QWEN_CODER_1_5B, SMOLLM2_135M
from audiorouter.tools.settings import Settings

from .cascade import CascadeReasoner

GGUF_MODELS = {spec.name: spec for spec in (QWEN_CODER_1_5B, SMOLLM2_135M)}


def make_reasoner(name: str | None = None, **options) -> CascadeReasoner:
    """The cascade reasoner on ``name`` (a model spec name or GGUF path), else
    ``AUDIOROUTER_REASONER_MODEL``, else Qwen2.5-Coder-1.5B; ``options`` go to
    `CascadeReasoner` (scoring, calibration, use_cache, ...). The model loads on first use."""
    name = name or Settings.from_env().reasoner_model or QWEN_CODER_1_5B.name
    return CascadeReasoner(GGUF_MODELS.get(name, name), **options)
