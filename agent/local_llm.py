"""A local GGUF text model through llama.cpp (cyllama), shared per process.

Two things matter on a CPU and shape this class:

* **prefix reuse, bit-stable**: llama.cpp's CPU kernels give a token different values in a
  batch of another size (small batches take another path: up to 0.6 in a logit of
  SmolLM2-135M), so reusing "whatever the KV cache holds" would make a prompt's scores
  depend on the prompt before it. Reuse therefore stops only at *anchors*: texts evaluated
  on their own by `prefill` (a reasoner's fixed instruction and worked examples). A prompt
  that starts with an anchor reuses it and evaluates the rest from there, always the same
  way, so the same prompt gives the same scores whatever ran before it;
* **scores, not only text**: `continuation_logprobs` scores each answer option as text after
  one prefill, all options in one batch; `letter_distribution` reads the next-token logits
  of option letters.
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
from audiorouter.tools.settings import Settings


MAX_CONTINUATIONS = 10  # options a multiple-choice question may have
END_OF_TURN = "<|im_end|>"  # ChatML's end of a turn: scored after each option


class LocalLLMError(AudioRouterError):
    """The local model could not be loaded or run."""


def chatml(messages: Sequence[tuple[str, str]], *, open_assistant: bool = True) -> str:
    """Qwen / SmolLM2 chat format; ends inside the assistant turn so the answer comes next."""
    text = "".join(f"<|im_start|>{role}\n{content}{END_OF_TURN}\n" for role, content in messages)
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
        threads = n_threads or Settings.from_env().llm_threads or len(os.sched_getaffinity(0))
        ctx_params = cy.LlamaContextParams()
        ctx_params.n_ctx = n_ctx
        ctx_params.n_batch = 512
        ctx_params.n_threads = threads
        ctx_params.n_threads_batch = threads
        ctx_params.n_seq_max = MAX_CONTINUATIONS + 1  # the prompt, then one sequence per option
        ctx_params.kv_unified = True  # options share the prompt's cells instead of copies
        self._ctx = cy.LlamaContext(self._model, ctx_params)
        self._cy = cy
        self.n_ctx = n_ctx
        self._cached: list[int] = []  # tokens whose keys/values are in the context
        self._anchors: dict[int, tuple[int, ...]] = {0: ()}  # length -> tokens: reuse stops here
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

    def prefill(self, text: str) -> None:
        """Evaluate ``text`` on its own and keep it as an anchor: every later prompt that starts
        with it reuses its keys and values (a fixed prompt prefix, at start-up or per question:
        a no-op while it is still cached)."""
        with self._lock:
            tokens = self.tokenize(text)
            if not tokens:
                raise LocalLLMError("empty prompt")
            self._anchors[len(tokens)] = tuple(tokens)
            if self._cached[:len(tokens)] != tokens:
                self._prefill(tokens)

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

    def continuation_logprobs(self, prompt: str, continuations: Sequence[str], *,
                              end: str | None = None) -> list[np.ndarray]:
        """Log-probability of every token of each continuation after ``prompt``, teacher-forced.

        The prompt is evaluated once (after the longest cached prefix); each continuation then
        runs as its own sequence over the prompt's cached keys and values, all of them in one
        batch. ``end`` (e.g. the end-of-turn token) is scored after each continuation, so an
        option that is a prefix of another ("3" and "30") is told apart by whether it ends.
        """
        if not 1 <= len(continuations) <= MAX_CONTINUATIONS:
            raise LocalLLMError(f"score 1 to {MAX_CONTINUATIONS} continuations, not {len(continuations)}")
        end_ids = [self._single_token(end, special=True)] if end else []
        conts = [self.tokenize(c) + end_ids for c in continuations]
        if any(len(c) == len(end_ids) for c in conts):
            raise LocalLLMError("cannot score an empty continuation")
        with self._lock:
            prompt_ids = self.tokenize(prompt)
            if len(prompt_ids) + max(map(len, conts)) >= self.n_ctx:
                raise LocalLLMError(f"prompt of {len(prompt_ids)} tokens and its options exceed "
                                    f"the context of {self.n_ctx}")
            first = _log_softmax(self._prefill(prompt_ids))
            rows = self._decode_branches(len(prompt_ids), [c[:-1] for c in conts])
        out, row = [], 0
        for cont in conts:
            scores = [first[cont[0]]]
            for token in cont[1:]:
                scores.append(_log_softmax(rows[row])[token])
                row += 1
            out.append(np.asarray(scores, dtype=np.float64))
        return out

    def _decode_branches(self, position: int, branches: list[list[int]]) -> list[np.ndarray]:
        """Logits after each token of each branch, every branch its own sequence copied from
        sequence 0 (which holds the prompt), all in one batch; the branches are dropped after."""
        total = sum(map(len, branches))
        if total == 0:
            return []
        batch = self._cy.LlamaBatch(n_tokens=total, embd=0, n_seq_max=1)
        for seq, branch in enumerate(branches, start=1):
            self._ctx.memory_seq_rm(seq, -1, -1)
            self._ctx.memory_seq_cp(0, seq, -1, -1)
            for j, token in enumerate(branch):
                batch.add(token, position + j, [seq], True)
        try:
            self._ctx.decode(batch)
            return [np.asarray(self._ctx.get_logits_ith(i), dtype=np.float32) for i in range(total)]
        except Exception as exc:
            self._ctx.memory_seq_rm(-1, -1, -1)
            self._cached = []
            raise LocalLLMError(f"llama.cpp decode failed: {exc}") from exc
        finally:
            for seq in range(1, len(branches) + 1):
                self._ctx.memory_seq_rm(seq, -1, -1)

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

    def _single_token(self, text: str, *, special: bool = False) -> int:
        ids = self._vocab.tokenize(text, add_special=False, parse_special=special)
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
        """Logits after ``tokens``. Evaluation starts at the longest anchor that begins the
        prompt and is still cached, and stops at every anchor on the way, so a prompt's
        values never depend on what was cached before it."""
        if not tokens:
            raise LocalLLMError("empty prompt")
        if len(tokens) >= self.n_ctx:
            raise LocalLLMError(f"prompt of {len(tokens)} tokens exceeds the context of {self.n_ctx}")
        stops = sorted(n for n, anchor in self._anchors.items()
                       if n < len(tokens) and tuple(tokens[:n]) == anchor)
        start = max(n for n in stops if self._cached[:n] == tokens[:n])
        self._ctx.memory_seq_rm(0, start, -1)
        self._cached = self._cached[:start]
        logits, reused = None, start
        for stop in [n for n in stops if n > start] + [len(tokens)]:
            for first in range(start, stop, 512):
                chunk = tokens[first:min(first + 512, stop)]
                logits = self._decode(chunk, first)
                self._cached.extend(chunk)
            start = stop
        self.stats["prompt_tokens"] += len(tokens)
        self.stats["evaluated_tokens"] += len(tokens) - reused
        return logits

    def _decode(self, tokens: list[int], position: int) -> np.ndarray:
        try:
            self._ctx.decode(self._cy.llama_batch_get_one(tokens, position))
        except Exception as exc:
            self._ctx.memory_seq_rm(0, -1, -1)
            self._cached = []
            raise LocalLLMError(f"llama.cpp decode failed: {exc}") from exc
        return np.asarray(self._ctx.get_logits_ith(-1), dtype=np.float32)


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits.astype(np.float64) - float(logits.max())
    return shifted - np.log(np.exp(shifted).sum())


def load_local_llm(spec_or_path: ModelSpec | str | os.PathLike = QWEN_CODER_1_5B,
                   n_ctx: int = 4096) -> LocalLLM:
    """The shared `LocalLLM` for a model spec (resolved offline or online) or a GGUF path:
    one per file and context size in a process, however it is named."""
    path = resolve_model(spec_or_path) if isinstance(spec_or_path, ModelSpec) else Path(spec_or_path)
    return _shared_llm(str(path.resolve()), n_ctx)


@load_once
def _shared_llm(path: str, n_ctx: int) -> LocalLLM:
    return LocalLLM(path, n_ctx=n_ctx)
