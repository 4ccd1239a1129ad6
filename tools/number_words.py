"""Spoken numbers written as digits: "siedem dwa osiem" -> "7 2 8".

A question's options write numbers as digits while Whisper writes what it heard as words. text2num
reads seven languages with their grammar (compounds, "et", "und"); for the other languages
num2words can spell, the words of 0-999 are matched back to their numbers, longest phrase first.
"""
from __future__ import annotations

import re
from functools import cache

#: The largest number looked up: digits read one by one, counts, times and prices are below it.
LARGEST = 999
#: The longest number phrase looked for, in words ("trzysta czterdzieści jeden" is 3).
MAX_PHRASE_WORDS = 6
#: Languages written without spaces between words: a number word cannot be told from part of
#: another word there, so they are left as they are.
UNSPACED = frozenset({"ja", "ko", "th", "zh"})
#: Whisper's language codes that num2words spells otherwise.
NUM2WORDS_CODES = {"kk": "kz"}

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def numbers_as_digits(text: str, language: str | None) -> str | None:
    """`text` with its spoken numbers in digits; None when nothing changes or the language is
    neither text2num's nor num2words'."""
    converted = _text2num(text, language or "")
    if converted is None:
        converted = _by_lexicon(text, language or "")
    return converted if converted is not None and converted != text else None


def _text2num(text: str, language: str) -> str | None:
    from text_to_num import alpha2digit

    try:
        return alpha2digit(text, language, threshold=0)
    except ValueError:  # a language text2num does not know
        return None


def _by_lexicon(text: str, language: str) -> str | None:
    lexicon = number_lexicon(language)
    if not lexicon:
        return None
    words = list(_WORD.finditer(text))
    keys = [_key(m.group()) for m in words]
    pieces, last, i = [], 0, 0
    while i < len(words):
        for n in range(min(MAX_PHRASE_WORDS, len(words) - i), 0, -1):
            phrase = " ".join(keys[i:i + n])
            if phrase in lexicon and _adjacent(text, words[i:i + n]):
                pieces += [text[last:words[i].start()], str(lexicon[phrase])]
                last, i = words[i + n - 1].end(), i + n
                break
        else:
            i += 1
    return "".join(pieces) + text[last:]


def _adjacent(text: str, words: list[re.Match]) -> bool:
    """Words of one phrase are separated by spaces or hyphens only, not by punctuation."""
    return all(not text[a.end():b.start()].strip(" -") for a, b in zip(words, words[1:]))


@cache
def number_lexicon(language: str) -> dict[str, int]:
    """Every way num2words spells 0-999 in `language` (normalised), to its number; empty when
    num2words does not know the language or it is written without spaces."""
    from num2words import CONVERTER_CLASSES, num2words

    language = NUM2WORDS_CODES.get(language, language)
    if language in UNSPACED or language not in CONVERTER_CLASSES:
        return {}
    lexicon: dict[str, int] = {}
    for number in range(LARGEST, -1, -1):  # smaller numbers win a shared spelling
        try:
            lexicon[_key(num2words(number, lang=language))] = number
        except (NotImplementedError, OverflowError, ValueError):
            return {}
    return lexicon


def _key(words: str) -> str:
    normal = words.casefold().replace("-", " ").replace("’", "'")
    return " ".join(m.group() for m in _WORD.finditer(normal))
