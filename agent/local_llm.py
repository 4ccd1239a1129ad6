"""A local GGUF text model through llama.cpp (cyllama), shared per process.

Two things matter on a CPU and shape this class:

* **prefix reuse**: the KV cache keeps the last prompt; a new prompt only pays for the
  tokens after the longest prefix it shares with it (the system prompt, the tool schemas,
  the same clip's description and question), so scoring several prompts about one item
  costs little more than one. The price is a rounding: llama.cpp's CPU kernels give a token
  slightly different values in a batch of another size, so a prompt's logits depend on how
  much of it was already held (by a few hundredths of a letter's probability in a check). Fixed
  blocks, reused only whole, make them bit-stable at about twice the time, so instead the
  reasoner's on-disk cache keeps each prompt's first answer;
* **scores, not only text**: `letter_distribution` reads the next-token logits of the
  option letters after a single prefill, which is what calibrated multiple choice needs.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from audiorouter.tools import ModelSpec, resolve_model
from audiorouter.tools.base import load_once
from audiorouter.tools.errors import AudioRouterError
from audiorouter.tools.models import QWEN_CODER_1_5B


class LocalLLMError(AudioRouterError):
    """The local model could not be loaded or run."""


def chatml(messages: Sequence[tuple[str, str]], *, open_assistant: bool = True) -> str:
    """Qwen / SmolLM2 chat format; ends inside the assistant turn so the answer comes next."""
    text = "".join(f"<|im_start|>{role}\n{content}<|im_end|>\n" for role, content in messages)
    return text + ("<|im_start|>assistant\n" if open_assistant else "")


class LocalLLM:
    """One GGUF model and one llama.cpp context; thread-safe (calls are serialised)."""

    def __init__(self, path: str | os.PathLike, *, n_ctx: int = 4096, n_threads: int | None = None):
        import cyllama.llama.llama_cpp as cy

        self.path = Path(path)
        cy.disable_logging()
        cy.ggml_backend_load_all()

        class _Model(cy.LlamaModel):  # cyllama 0.2.18 reads model.n_vocab in get_logits_ith
            n_vocab = 0

        params = cy.LlamaModelParams()
        params.n_gpu_layers = 0
        try:
            self._model = _Model(str(self.path), params)
        except Exception as exc:
            raise LocalLLMError(f"llama.cpp could not load {self.path}: {exc}; is it a GGUF file?") from exc
        self._vocab = self._model.get_vocab()
        self._model.n_vocab = self._vocab.n_vocab
        threads = n_threads or int(os.environ.get("AUDIOROUTER_LLM_THREADS", 0)) or len(os.sched_getaffinity(0))
        ctx_params = cy.LlamaContextParams()
        ctx_params.n_ctx = n_ctx
        ctx_params.n_batch = 512
        ctx_params.n_threads = threads
        ctx_params.n_threads_batch = threads
        self._ctx = cy.LlamaContext(self._model, ctx_params)
        self._cy = cy
        self.n_ctx = n_ctx
        self._cached: list[int] = []  # tokens whose keys/values are in the context
        self._lock = threading.Lock()
        self.stats = {"prompt_tokens": 0, "evaluated_tokens": 0, "generated_tokens": 0}

    @property
    def name(self) -> str:
        return self.path.name

    def reset(self) -> None:
        """Forget the cached prefix: the next prompt is evaluated in full (for fair timing)."""
        with self._lock:
            self._ctx.memory_seq_rm(0, -1, -1)
            self._cached = []

    def tokenize(self, text: str) -> list[int]:
        return list(self._vocab.tokenize(text, add_special=False, parse_special=True))

    def letter_distribution(self, prompt: str, letters: Sequence[str]) -> np.ndarray:
        """Probabilities of each letter as the next token, renormalised over the letters."""
        ids = [self._single_token(letter) for letter in letters]
        with self._lock:
            logits = self._prefill(self.tokenize(prompt))
        chosen = logits[ids].astype(np.float64)
        p = np.exp(chosen - chosen.max())
        return p / p.sum()

    def generate(self, prompt: str, *, max_tokens: int = 64, stop: Sequence[str] = ()) -> str:
        """Greedy continuation of ``prompt`` until end-of-turn, a stop string or ``max_tokens``."""
        with self._lock:
            tokens = self.tokenize(prompt)
            logits = self._prefill(tokens)
            out: list[int] = []
            text = ""
            for _ in range(max_tokens):
                token = int(np.argmax(logits))
                if self._vocab.is_eog(token):
                    break
                out.append(token)
                text = self._detokenize(out)
                if any(s in text for s in stop):
                    break
                logits = self._decode([token], len(tokens) + len(out) - 1)
                self._cached.append(token)
            self.stats["generated_tokens"] += len(out)
        for s in stop:
            text = text.split(s)[0]
        return text.strip()

    def _single_token(self, text: str) -> int:
        ids = self._vocab.tokenize(text, add_special=False, parse_special=False)
        if len(ids) != 1:
            raise LocalLLMError(f"{text!r} is not a single token for {self.name}")
        return ids[0]

    def _detokenize(self, tokens: list[int]) -> str:
        pieces = []
        for t in tokens:
            try:
                pieces.append(self._vocab.token_to_piece(t, special=False))
            except UnicodeDecodeError:
                continue
        return "".join(pieces)

    def _prefill(self, tokens: list[int]) -> np.ndarray:
        """Logits after ``tokens``, evaluating only what the KV cache does not already hold."""
        if not tokens:
            raise LocalLLMError("empty prompt")
        if len(tokens) >= self.n_ctx:
            raise LocalLLMError(f"prompt of {len(tokens)} tokens exceeds the context of {self.n_ctx}")
        common = 0
        for a, b in zip(self._cached, tokens[:-1]):  # always evaluate the last token for its logits
            if a != b:
                break
            common += 1
        self._ctx.memory_seq_rm(0, common, -1)
        self._cached = self._cached[:common]
        logits = None
        for start in range(common, len(tokens), 512):
            chunk = tokens[start:start + 512]
            logits = self._decode(chunk, start)
            self._cached.extend(chunk)
        self.stats["prompt_tokens"] += len(tokens)
        self.stats["evaluated_tokens"] += len(tokens) - common
        return logits

    def _decode(self, tokens: list[int], position: int) -> np.ndarray:
        try:
            self._ctx.decode(self._cy.llama_batch_get_one(tokens, position))
        except Exception as exc:
            self._ctx.memory_seq_rm(0, -1, -1)
            self._cached = []
            raise LocalLLMError(f"llama.cpp decode failed: {exc}") from exc
        return np.asarray(self._ctx.get_logits_ith(-1), dtype=np.float32)


def load_local_llm(spec_or_path: ModelSpec | str | os.PathLike = QWEN_CODER_1_5B,
                   n_ctx: int = 4096) -> LocalLLM:
    """The shared `LocalLLM` for a model spec (resolved offline or online) or a GGUF path:
    one per file and context size in a process, however it is named."""
    path = resolve_model(spec_or_path) if isinstance(spec_or_path, ModelSpec) else Path(spec_or_path)
    return _shared_llm(str(path.resolve()), n_ctx)


@load_once
def _shared_llm(path: str, n_ctx: int) -> LocalLLM:
    return LocalLLM(path, n_ctx=n_ctx)
