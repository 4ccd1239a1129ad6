"""Reasoners: frozen models that answer from the audio, the question and the tool evidence.

`answer` holds what every reasoner returns and the checks on it, `prompts` what a text model
reads, `cascade` the local GGUF default (built by name in `registry`), `chat` any LangChain
chat model, `qwen_omni` the paper's audio model. Models load on first use, not on import.
"""

from .answer import Answer, Reasoner, ReasonerError
from .registry import GGUF_MODELS, make_reasoner

__all__ = ["GGUF_MODELS", "Answer", "Reasoner", "ReasonerError", "make_reasoner"]
