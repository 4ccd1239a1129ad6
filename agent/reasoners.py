"""Frozen reasoners: a local text LLM over a description + evidence (the offline default),
and any LangChain chat model (e.g. an OpenAI-compatible server running an audio model).
Qwen2.5-Omni, the paper's reasoner, lives in `qwen_omni.py`."""

from __future__ import annotations

import base64
import io
import json
import re
import time
from typing import Any, Literal, Sequence

import numpy as np
import soundfile as sf

from audiorouter.tools import Clip, Evidence, ModelSpec
from audiorouter.tools.cache import ResultCache, cache_key
from audiorouter.tools.errors import AudioRouterError
from audiorouter.tools.models import QWEN_CODER_1_5B

from .answer import LETTERS, Answer
from .local_llm import chatml, load_local_llm
from .prompts import SYSTEM, coarse_description, user_prompt

Calibration = Literal["none", "cyclic", "content_free"]


class ReasonerError(AudioRouterError):
    """A reasoner could not produce an answer (the graph degrades it to an empty answer)."""


def _check_choices(choices: Sequence[str] | None) -> None:
    if choices is not None and not 2 <= len(choices) <= len(LETTERS):
        raise ReasonerError(f"multiple choice needs 2 to {len(LETTERS)} options, got {len(choices)}")


class CascadeReasoner:
    """A local GGUF text model that reads a coarse description of the audio and the evidence.

    For multiple choice it returns a probability per option read from the next-token scores
    of the option letters. Small models favour some letter positions; ``calibration`` removes
    that: ``"cyclic"`` averages over cyclic rotations of the options (each rotation costs only
    the option tokens thanks to prefix reuse), ``"content_free"`` divides by the model's letter
    distribution for a content-free prompt, ``"none"`` reads the raw scores.
    """

    def __init__(self, model: ModelSpec | str = QWEN_CODER_1_5B, *,
                 calibration: Calibration = "cyclic", describe_audio: bool = True,
                 max_new_tokens: int = 24, n_ctx: int = 4096, use_cache: bool = True):
        self.model = model
        self.use_cache = use_cache
        self.calibration = calibration
        self.describe_audio = describe_audio
        self.max_new_tokens = max_new_tokens
        self.n_ctx = n_ctx
        model_name = model.name if isinstance(model, ModelSpec) else str(model)
        self.name = f"cascade:{model_name}"
        self._cache = ResultCache(f"reasoner/{model_name.replace('/', '_')}")

    @property
    def llm(self):
        return load_local_llm(self.model, self.n_ctx)

    def __deepcopy__(self, memo: dict) -> "CascadeReasoner":
        """A frozen reasoner is shared, not copied (`gymnasium.make` deep-copies its kwargs)."""
        return self

    def answer(self, clip: Clip, question: str, choices: Sequence[str] | None,
               evidence: Sequence[Evidence]) -> Answer:
        _check_choices(choices)
        start = time.perf_counter()
        description = coarse_description(clip) if self.describe_audio else ""
        if not choices:
            prompt = chatml([("system", SYSTEM), ("user", user_prompt(description, question, evidence, None))])
            out = self._cached("text", prompt, lambda: {
                "text": self.llm.generate(prompt, max_tokens=self.max_new_tokens, stop=("\n",)),
                "tokens": len(self.llm.tokenize(prompt))})
            return Answer(text=out["text"], seconds=round(time.perf_counter() - start, 3),
                          prompt_tokens=out["tokens"])
        probs, n_tokens = self.choice_probabilities(description, question, choices, evidence)
        best = int(np.argmax(probs))
        return Answer(text=choices[best], choice=best, probabilities=[round(float(p), 5) for p in probs],
                      seconds=round(time.perf_counter() - start, 3), prompt_tokens=n_tokens)

    def choice_probabilities(self, description: str, question: str, choices: Sequence[str],
                             evidence: Sequence[Evidence]) -> tuple[np.ndarray, int]:
        n = len(choices)
        orders = [list(range(n))]
        if self.calibration == "cyclic":
            orders = [[(i + k) % n for i in range(n)] for k in range(n)]
        total = np.zeros(n)
        tokens = 0
        for order in orders:
            prompt = chatml([("system", SYSTEM),
                             ("user", user_prompt(description, question, evidence, choices, order))])
            out = self._letters(prompt, n)
            tokens = max(tokens, out["tokens"])
            total[order] += np.asarray(out["p"])  # position k showed option order[k]
        if self.calibration == "content_free":
            total /= self._content_free_prior(n)
        return total / total.sum(), tokens

    def _content_free_prior(self, n: int) -> np.ndarray:
        prompt = chatml([("system", SYSTEM), ("user", user_prompt(
            "", "N/A", [], ["N/A"] * n))])
        return np.asarray(self._letters(prompt, n)["p"])

    def _letters(self, prompt: str, n: int) -> dict:
        return self._cached("letters", prompt, lambda: {
            "p": self.llm.letter_distribution(prompt, LETTERS[:n]).tolist(),
            "tokens": len(self.llm.tokenize(prompt))})

    def _cached(self, kind: str, prompt: str, compute) -> Any:
        """Cache outputs by prompt, on disk. A prompt's scores are not bit-stable (they move by a
        rounding with how much of it the KV cache already held: see `local_llm`), so the first
        answer is kept and every later use of the prompt agrees with it."""
        if not self.use_cache:
            return compute()
        key = cache_key(kind, self.name, prompt)
        hit = self._cache.get(key)
        if hit is not None:
            return json.loads(hit)
        value = compute()
        self._cache.put(key, json.dumps(value))
        return value


def wav_base64(clip: Clip) -> str:
    buffer = io.BytesIO()
    sf.write(buffer, clip.samples, clip.sample_rate, format="WAV", subtype="PCM_16")
    return base64.b64encode(buffer.getvalue()).decode()


HEARING_SYSTEM = ("You answer questions about the audio recording you are given. Tool "
                  "measurements of the same recording are included when available; trust them "
                  "over your impression for counts, pitches, tempi and other details.")
_LETTER = re.compile(r"^\W*([A-J])\b")


class ChatModelReasoner:
    """Any LangChain chat model: the audio as a content block, the evidence as text.

    ``audio_format``: ``"openai"`` sends ``input_audio`` blocks (OpenAI-compatible servers such
    as vLLM serving Qwen2-Audio / Qwen2.5-Omni), ``"standard"`` LangChain's own audio block,
    ``None`` no audio (a text model: the coarse description is sent instead).
    When the response carries token log-probabilities (``logprobs=True`` on OpenAI-compatible
    models) the option probabilities are read from them.
    """

    def __init__(self, chat_model: Any, *, audio_format: Literal["openai", "standard"] | None = "openai",
                 name: str | None = None):
        self.chat_model = chat_model
        self.audio_format = audio_format
        self.name = name or f"chat:{type(chat_model).__name__}"

    def messages(self, clip: Clip, question: str, choices: Sequence[str] | None,
                 evidence: Sequence[Evidence]) -> list:
        from langchain_core.messages import HumanMessage, SystemMessage

        description = "" if self.audio_format else coarse_description(clip)
        text = user_prompt(description, question, evidence, choices).lstrip("\n")
        content: list[dict] = [{"type": "text", "text": text}]
        if self.audio_format == "openai":
            content.insert(0, {"type": "input_audio", "input_audio": {"data": wav_base64(clip), "format": "wav"}})
        elif self.audio_format == "standard":
            content.insert(0, {"type": "audio", "base64": wav_base64(clip), "mime_type": "audio/wav"})
        return [SystemMessage(HEARING_SYSTEM if self.audio_format else SYSTEM), HumanMessage(content=content)]

    def answer(self, clip: Clip, question: str, choices: Sequence[str] | None,
               evidence: Sequence[Evidence]) -> Answer:
        _check_choices(choices)
        start = time.perf_counter()
        reply = self.chat_model.invoke(self.messages(clip, question, choices, evidence))
        text = reply.text if isinstance(reply.text, str) else str(reply.content)
        seconds = round(time.perf_counter() - start, 3)
        usage = getattr(reply, "usage_metadata", None) or {}
        if not choices:
            return Answer(text=text.strip(), seconds=seconds, prompt_tokens=usage.get("input_tokens"))
        probs = _logprob_letters(reply, len(choices))
        match = _LETTER.match(text)
        if probs is not None:
            choice = int(np.argmax(probs))
        elif match and LETTERS.index(match.group(1)) < len(choices):
            choice = LETTERS.index(match.group(1))
        else:
            choice = _option_named(text, choices)
        if choice is None:
            return Answer(text=text.strip(), seconds=seconds, error=f"no option found in reply {text[:80]!r}")
        return Answer(text=choices[choice], choice=choice, seconds=seconds,
                      probabilities=None if probs is None else [round(float(p), 5) for p in probs],
                      prompt_tokens=usage.get("input_tokens"))


def _logprob_letters(reply: Any, n: int) -> np.ndarray | None:
    """Option probabilities from the first generated token's top log-probabilities, if sent."""
    try:
        top = reply.response_metadata["logprobs"]["content"][0]["top_logprobs"]
    except (KeyError, IndexError, TypeError):
        return None
    scores = np.full(n, -np.inf)
    for entry in top:
        letter = entry["token"].strip()
        if len(letter) == 1 and letter in LETTERS[:n]:
            scores[LETTERS.index(letter)] = max(scores[LETTERS.index(letter)], entry["logprob"])
    if not np.isfinite(scores).any():
        return None
    p = np.exp(scores - scores[np.isfinite(scores)].max())
    return p / p.sum()


def _option_named(text: str, choices: Sequence[str]) -> int | None:
    lowered = text.lower()
    hits = [i for i, c in enumerate(choices) if c.lower() in lowered]
    return hits[0] if len(hits) == 1 else None
