"""MMAU's answer rule: which option a text names, in one place for every reader and scorer.

Re-implemented from MMAU's ``evaluation.py`` so that a predictions file scored by that script
and by this project gives the same number: a text names an option when it contains every word
of that option and no word that only another option has.
"""

from __future__ import annotations

import re
from typing import Sequence

_WORD = re.compile(r"\b\w+\b")


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


def right_option(answer: str, choices: Sequence[str]) -> int:
    """The index of the one option ``answer`` names, -1 if it names none or several.

    The option's own text (case and surrounding spaces aside) decides first; else MMAU's rule.
    An answer that is the text of two options names neither: the item has no right option.
    """
    folded = answer.strip().lower()
    same_text = [i for i, c in enumerate(choices) if c.strip().lower() == folded]
    if same_text:
        return same_text[0] if len(same_text) == 1 else -1
    matches = [i for i, c in enumerate(choices) if is_correct(answer, c, choices)]
    return matches[0] if len(matches) == 1 else -1
