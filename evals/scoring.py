"""Accuracy under MMAU's match rule (``audiorouter.data.mmau``), with 95% Wilson intervals."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np

from audiorouter.data.mmau import is_correct, right_option, tokens

Z95 = 1.959963984540054


def indistinct(choices: Sequence[str]) -> bool:
    """Whether two options have the same words ("0 1 5 4" and "0 5 1 4"): when the model
    answers with an option's text, MMAU's rule accepts exactly the options with the answer's
    words, so such an item counts one wrong option as right."""
    words = [frozenset(tokens(c)) for c in choices]
    return len(set(words)) < len(words)


@dataclass(frozen=True)
class Accuracy:
    correct: int
    total: int

    @property
    def value(self) -> float:
        return self.correct / self.total if self.total else float("nan")

    @property
    def interval(self) -> tuple[float, float]:
        """95% Wilson score interval: honest at small n and near 0 or 1, unlike the normal one."""
        if not self.total:
            return float("nan"), float("nan")
        n, p, z2 = self.total, self.value, Z95 * Z95
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
        # it contains p by construction; min/max keep that true through rounding (p = 0 or 1)
        return min(p, max(0.0, centre - half)), max(p, min(1.0, centre + half))

    def __str__(self) -> str:
        low, high = self.interval
        return f"{100 * self.value:.1f}% [{100 * low:.1f}, {100 * high:.1f}] (n={self.total})"


def accuracy(records: Iterable[Mapping]) -> Accuracy:
    """Accuracy of prediction records, each with ``correct``."""
    flags = [bool(r["correct"]) for r in records]
    return Accuracy(sum(flags), len(flags))


LOW_CONFIDENCE = 0.4  # a top probability under this is a guess among four options


@dataclass(frozen=True)
class Confidence:
    """How sure the answers were and whether that sureness is honest: a reasoner right by a
    hair is not reading its evidence, whatever its accuracy."""

    mean_right: float  # mean probability of the right option
    low_share: float  # share of answers whose top probability is under LOW_CONFIDENCE
    calibration_error: float  # expected calibration error: 10 equal bins of top probability
    n: int

    def __str__(self) -> str:
        return (f"p(right) {self.mean_right:.3f}, top < {LOW_CONFIDENCE} on {100 * self.low_share:.1f}%, "
                f"ECE {self.calibration_error:.3f} (n={self.n})")


def confidence(records: Iterable[Mapping], bins: int = 10) -> Confidence | None:
    """`Confidence` over the records that carry option probabilities (None if none do)."""
    rows = []
    for r in records:
        probs = r.get("probabilities")
        if not probs or r.get("choice") is None:
            continue
        right = right_option(r["answer"], r["choices"])
        rows.append((probs[right] if right >= 0 else 0.0, max(probs), bool(r["correct"])))
    if not rows:
        return None
    p_right, top, correct = (np.array(column, dtype=float) for column in zip(*rows))
    which = np.minimum((top * bins).astype(int), bins - 1)
    error = sum(abs(correct[which == b].mean() - top[which == b].mean()) * (which == b).sum()
                for b in range(bins) if (which == b).any()) / len(rows)
    return Confidence(float(p_right.mean()), float((top < LOW_CONFIDENCE).mean()), float(error), len(rows))


_TERM = re.compile(r"[a-z0-9#]+(?:\.[0-9]+)?")  # words, note names (g#4), decimals (2.5)
_FILLER = frozenset("a an the of on in at or and with by to is it".split())


def _terms(text: str) -> set[str]:
    """Content terms; "4.0" and "4" are one term (a value), "0514" stays a digit string."""
    terms = set()
    for term in _TERM.findall(text.lower()):
        if "." in term:
            term = f"{float(term):g}"
        if term not in _FILLER:
            terms.add(term)
    return terms


def names_value(answer: str, prediction: str, choices: Sequence[str]) -> bool:
    """Whether a free-form ``prediction`` names the right option's value: it has every term
    that sets the answer apart from the other options ("100" of "100 BPM", "second" of "the
    second speaker") and no term that only a wrong option has. Scores an open answer against
    the options the question was not shown with."""
    said = _terms(prediction)
    common = set.intersection(*(_terms(c) for c in choices))
    right = _terms(answer) - common
    wrong = set().union(*(_terms(c) for c in choices)) - _terms(answer) - common
    return bool(right) and right <= said and said.isdisjoint(wrong)


def oracle_gain_recovered(acc: float, none: float, oracle: float) -> float:
    """The share of the oracle's gain over no tools that a router's accuracy ``acc`` recovers
    (1 = as good as the oracle, 0 = no better than answering without tools); undefined (NaN)
    when the oracle gains nothing."""
    return (acc - none) / (oracle - none) if oracle > none else float("nan")


def paired_difference(a: Sequence[float], b: Sequence[float], resamples: int = 10_000,
                      seed: int = 0) -> tuple[float, float, float]:
    """Mean of ``a - b`` over the same items and its 95% paired bootstrap interval.

    Two routers answer the same test items, so their difference varies less than either
    accuracy does: resampling items (not routers) keeps that pairing. ``a`` may be a per-item
    mean over seeds. The seed fixes the resamples, so a table does not move between reruns."""
    if len(a) != len(b) or len(a) == 0:
        raise ValueError(f"a paired difference needs the same items on both sides, not {len(a)} and {len(b)}")
    if resamples < 1:
        raise ValueError(f"resamples must be at least 1, not {resamples}")
    diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    means = diff[np.random.default_rng(seed).integers(0, len(diff), (resamples, len(diff)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(diff.mean()), float(low), float(high)


def breakdown(records: Iterable[Mapping], *keys: str) -> dict[str, Accuracy]:
    """Accuracy per value of the first of ``keys`` a record has (``"sub-category", "category"``:
    MMAU leaves many sub-categories empty); records with none of them are left out."""
    groups: dict[str, list[Mapping]] = defaultdict(list)
    for r in records:
        value = next((r[k] for k in keys if r.get(k) is not None), None)
        if value is not None:
            groups[str(value)].append(r)
    return {name: accuracy(group) for name, group in sorted(groups.items())}


def rescore(records: Iterable[Mapping]) -> Accuracy:
    """Accuracy from the prediction text alone, as MMAU's script computes it (``model_output``,
    or ``model_prediction`` as some forks name it; missing counts as empty, so wrong)."""
    flags = [is_correct(r["answer"], r.get("model_output") or r.get("model_prediction") or "", r["choices"])
             for r in records]
    return Accuracy(sum(flags), len(flags))
