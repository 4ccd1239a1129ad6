"""Any LangChain chat model as the reasoner (e.g. an OpenAI-compatible server running an audio
model): the audio as a content block, the evidence as text."""

from __future__ import annotations

import base64
import io
import re
import time
from typing import Any, Literal, Sequence

import numpy as np
import soundfile as sf

from audiorouter.tools import Clip, Evidence

from .answer import LETTERS, Answer, check_choices
from .prompts import HEARING_SYSTEM, SYSTEM, lettered_prompt


def wav_base64(clip: Clip) -> str:
    buffer = io.BytesIO()
    sf.write(buffer, clip.samples, clip.sample_rate, format="WAV", subtype="PCM_16")
    return base64.b64encode(buffer.getvalue()).decode()


_LETTER = re.compile(r"^\W*([A-J])\b")


class ChatModelReasoner:
    """Any LangChain chat model: the audio as a content block, the evidence as text.

    ``audio_format``: ``"openai"`` sends ``input_audio`` blocks (OpenAI-compatible servers such
    as vLLM serving Qwen2-Audio / Qwen2.5-Omni), ``"standard"`` LangChain's own audio block,
    ``None`` no audio (a text model answering from the evidence alone).
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

        text = lettered_prompt(clip.duration, evidence, question, choices)
        content: list[dict] = [{"type": "text", "text": text}]
        if self.audio_format == "openai":
            content.insert(0, {"type": "input_audio", "input_audio": {"data": wav_base64(clip), "format": "wav"}})
        elif self.audio_format == "standard":
            content.insert(0, {"type": "audio", "base64": wav_base64(clip), "mime_type": "audio/wav"})
        return [SystemMessage(HEARING_SYSTEM if self.audio_format else SYSTEM), HumanMessage(content=content)]

    def answer(self, clip: Clip, question: str, choices: Sequence[str] | None,
               evidence: Sequence[Evidence]) -> Answer:
        check_choices(choices)
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
