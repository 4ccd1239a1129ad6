"""The cascade reasoner: a local GGUF text model answering from the tool evidence alone (the
offline default)."""

from __future__ import annotations

import json
import time
from typing import Any, Callable, Literal, Sequence, get_args

import numpy as np

from audiorouter.tools import Clip, Evidence, ModelSpec
from audiorouter.tools.cache import ResultCache, cache_key
from audiorouter.tools.models import QWEN_CODER_1_5B

from ..local_llm import END_OF_TURN, chatml, load_local_llm
from .answer import LETTERS, Answer, check_choices, softmax
from .prompts import WORKED_EXAMPLES, WorkedExample, chat_turns, evidence_lines, lettered_options

Scoring = Literal["options", "letters"]
Calibration = Literal["none", "no_evidence"]
Length = Literal["sum", "sqrt", "mean"]
LENGTH_POWER: dict[str, float] = {"sum": 0.0, "sqrt": 0.5, "mean": 1.0}  # score = sum / tokens ** power
CACHE_VERSION = "2"  # bumped when the same prompt would score differently (v2: anchored prefixes)


class CascadeReasoner:
    """A local GGUF text model that answers from the tool evidence alone.

    Multiple choice, ``scoring="options"`` (default): each option's own text is scored as the
    answer, token by token, after one shared prompt (the options are not listed in it), with
    the end-of-turn token after it; the probabilities are those log-likelihoods normalised
    over the options. ``length`` sets how an option's length counts: ``"sqrt"`` (default)
    divides its log-likelihood by the square root of its number of tokens (end of turn
    included), ``"sum"`` leaves it, ``"mean"`` divides by the number itself. A sum makes a
    long right option ("reeds (saxophone, oboe, clarinet)") lose to a short wrong one ("bass")
    whenever its first words are unexpected; a mean overcorrects and loses confidence; the
    square root, between the two, was the most accurate and the best calibrated of the three
    on the dev split (docs/benchmarks.md). ``calibration="no_evidence"`` divides out what the model expects
    without any evidence (the same prompt with "Tools: none"); on the dev split it cost
    accuracy once the worked examples were in the prompt, so the default is ``"none"``.
    ``scoring="letters"`` is the older way, kept for comparison: the options listed with
    letters, the next-token scores of the letters averaged over cyclic rotations of the options.
    Open questions get a greedy answer of a few words from the same prompt.

    The prompt opens with an instruction and hand-written worked examples (`prompts`), the
    same for every question, so llama.cpp's prefix reuse computes them once per process.
    """

    def __init__(self, model: ModelSpec | str = QWEN_CODER_1_5B, *, scoring: Scoring = "options",
                 calibration: Calibration = "none", length: Length = "sqrt",
                 examples: Sequence[WorkedExample] = WORKED_EXAMPLES, max_new_tokens: int = 16,
                 n_ctx: int = 4096, use_cache: bool = True):
        for name, value, allowed in (("scoring", scoring, Scoring), ("calibration", calibration, Calibration),
                                     ("length", length, Length)):
            if value not in get_args(allowed):
                raise ValueError(f"CascadeReasoner {name} must be one of {get_args(allowed)}, not {value!r}")
        self.model = model
        self.scoring = scoring
        self.calibration = calibration
        self.length = length
        self.examples = tuple(examples)
        self.max_new_tokens = max_new_tokens
        self.n_ctx = n_ctx
        self.use_cache = use_cache
        model_name = model.name if isinstance(model, ModelSpec) else str(model)
        self.model_name = f"cascade:{model_name}"  # cached outputs are keyed by it and by their kind
        self._cache = ResultCache(f"reasoner/{model_name.replace('/', '_')}")

    @property
    def name(self) -> str:
        """The model and what, besides it, decides the answers: evaluations and training runs
        record it, so a folder or checkpoint made under another scoring is told apart."""
        return f"{self.model_name} ({self._settings()})"

    def _settings(self) -> str:
        parts = [self.scoring, *([f"length {self.length}"] if self.scoring == "options" else [])]
        if self.calibration != "none":
            parts.append(f"calibration {self.calibration}")
        if self.examples != tuple(WORKED_EXAMPLES):
            parts.append(f"{len(self.examples)} own worked examples" if self.examples else "no worked examples")
        return ", ".join(parts)

    @property
    def llm(self):
        return load_local_llm(self.model, self.n_ctx)

    def __deepcopy__(self, memo: dict) -> "CascadeReasoner":
        """A frozen reasoner is shared, not copied (`gymnasium.make` deep-copies its kwargs)."""
        return self

    def answer(self, clip: Clip, question: str, choices: Sequence[str] | None,
               evidence: Sequence[Evidence]) -> Answer:
        check_choices(choices)
        start = time.perf_counter()
        lines = evidence_lines(evidence)
        if not choices:
            prompt = self.prompt(clip.duration, lines, question)
            out = self._cached("text", prompt, lambda: {
                "text": self.llm.generate(prompt, max_tokens=self.max_new_tokens, stop=("\n",)),
                "tokens": len(self.llm.tokenize(prompt))})
            return Answer(text=out["text"], seconds=round(time.perf_counter() - start, 3),
                          prompt_tokens=out["tokens"])
        score = self._option_scores if self.scoring == "options" else self._letter_scores
        probs, tokens = score(clip.duration, lines, question, list(choices))
        best = int(np.argmax(probs))
        return Answer(text=choices[best], choice=best, probabilities=[round(float(p), 5) for p in probs],
                      seconds=round(time.perf_counter() - start, 3), prompt_tokens=tokens)

    def warm_up(self) -> None:
        """Evaluate the fixed instruction and worked examples on their own, as the anchor every
        prompt reuses (`local_llm`): done before each answer, free while cached; call it at a
        server's start-up, or a benchmark's untimed set-up, to keep it off the first question."""
        self.llm.prefill(self.fixed_prefix())

    def fixed_prefix(self) -> str:
        """The part of every prompt that does not depend on the question."""
        return chatml(chat_turns(0.0, [], "", self.examples)[:-1], open_assistant=False)

    def prompt(self, seconds: float, lines: Sequence[str], question: str) -> str:
        return chatml(chat_turns(seconds, lines, question, self.examples))

    def _option_scores(self, seconds: float, lines: list[str], question: str,
                       choices: list[str]) -> tuple[np.ndarray, int]:
        scores, tokens = self._log_likelihoods(self.prompt(seconds, lines, question), choices)
        if lines and self.calibration == "no_evidence":
            prior, _ = self._log_likelihoods(self.prompt(seconds, [], question), choices)
            scores = scores - prior
        return softmax(scores), tokens

    def _log_likelihoods(self, prompt: str, choices: list[str]) -> tuple[np.ndarray, int]:
        """Each option's token log-probabilities as the whole answer (end of turn included),
        summed and divided by its length's power (`length`)."""
        power = LENGTH_POWER[self.length]
        kind = "options" if self.length == "sum" else f"options-{self.length}"
        out = self._cached(kind, prompt, lambda: {
            "scores": [float(lp.sum() / len(lp) ** power)
                       for lp in self.llm.continuation_logprobs(prompt, choices, end=END_OF_TURN)],
            "tokens": len(self.llm.tokenize(prompt))}, choices)
        return np.asarray(out["scores"]), out["tokens"]

    def _letter_scores(self, seconds: float, lines: list[str], question: str,
                       choices: list[str]) -> tuple[np.ndarray, int]:
        n = len(choices)
        total, tokens = np.zeros(n), 0
        for k in range(n):  # cyclic rotations: position k shows option order[k]
            order = [(i + k) % n for i in range(n)]
            turns = chat_turns(seconds, lines, question, ())
            turns[-1] = ("user", turns[-1][1] + "\nOptions:\n" + lettered_options(choices, order)
                         + "\nAnswer with the letter of the best option.")
            prompt = chatml(turns)
            out = self._cached("letters", prompt, lambda: {
                "p": self.llm.letter_distribution(prompt, LETTERS[:n]).tolist(),
                "tokens": len(self.llm.tokenize(prompt))})
            tokens = max(tokens, out["tokens"])
            total[order] += np.asarray(out["p"])
        return total / total.sum(), tokens

    def _cached(self, kind: str, prompt: str, compute: Callable[[], dict], *extra: Any) -> dict:
        """Outputs cached on disk by prompt (evaluation and training ask the same prompts
        many times)."""
        def warm_compute() -> dict:
            self.warm_up()  # the anchor every prompt starts from (free while it is cached)
            return compute()

        if not self.use_cache:
            return warm_compute()
        key = cache_key(kind, CACHE_VERSION, self.model_name, prompt, *extra)
        return self._cache.get_or_compute(key, _json_object, warm_compute, json.dumps)


def _json_object(text: str) -> dict:
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value
