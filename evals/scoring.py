"""MMAU's official match rule, and accuracy with 95% Wilson intervals.

The rule is re-implemented from MMAU's ``evaluation.py`` so that a predictions file scored
by that script and by this harness gives the same number: a prediction is right when it
contains every word of the answer and no word that only a wrong option has.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np

_WORD = re.compile(r"\b\w+\b")
Z95 = 1.959963984540054


def tokens(text: str) -> set[str]:
    """MMAU's tokenisation: the set of lowercase word tokens."""
    return set(_WORD.findall(text.lower()))


def is_correct(answer: str, prediction: str, choices: Sequence[str]) -> bool:
    """MMAU's ``string_match``: all answer tokens present, no token of a wrong option."""
    predicted, right = tokens(prediction), tokens(answer)
    if not predicted:
        return False
    wrong = set().union(*(tokens(c) - right for c in choices)) if choices else set()
    return right <= predicted and predicted.isdisjoint(wrong)


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
