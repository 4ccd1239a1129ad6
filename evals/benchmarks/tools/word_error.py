"""Word error rate after normalising spelling: the transcription tasks' metric."""

from __future__ import annotations

import re

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
          "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = {w: 10 * i for i, w in enumerate(
    "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
_NUMBER = {w: i for i, w in enumerate(_UNITS)} | _TENS | {"oh": 0}


def normalize_words(text: str) -> list[str]:
    """Lower-case words without punctuation, every number written as single digits.

    Whisper writes spoken digits as "471" or "4, 7, 1" and numbers as words or figures at
    will; "four seven one", "471" and "4-7-1" all become ["4", "7", "1"], "fifty" and "50"
    both ["5", "0"]. "oh" counts as zero only next to another number.
    """
    words = re.sub(r"[^a-z0-9' ]+", " ", text.lower().replace("-", " ")).replace("'", "").split()
    values = [_NUMBER.get(w) for w in words]
    out: list[str] = []
    i = 0
    while i < len(words):
        value = values[i]
        is_oh = words[i] == "oh" and not _next_to_number(values, words, i)
        if value is None or is_oh:
            out.extend(list(words[i]) if words[i].isdigit() else [words[i]])
            i += 1
            continue
        if words[i] in _TENS and i + 1 < len(words) and (values[i + 1] or 0) in range(1, 10):
            value += values[i + 1]
            i += 1
        out.extend(str(value))
        i += 1
    return out


def _next_to_number(values: list[int | None], words: list[str], i: int) -> bool:
    neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(words)]
    return any(values[j] is not None and words[j] != "oh" or words[j].isdigit()
               for j in neighbours)


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(edits, reference length) between normalised word sequences (Levenshtein)."""
    ref, hyp = normalize_words(reference), normalize_words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1], len(ref)


def wer(reference: str, hypothesis: str) -> float:
    edits, n = word_errors(reference, hypothesis)
    return edits / max(n, 1)
