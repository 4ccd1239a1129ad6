"""number_words: spoken numbers written as digits, by grammar (text2num) or by lexicon (num2words)."""

from __future__ import annotations

import pytest

from audiorouter.tools.number_words import number_lexicon, numbers_as_digits


@pytest.mark.parametrize("text, language, digits", [
    # text2num's languages, read with their grammar
    ("cinco uno cuatro", "es", "5 1 4"),
    ("fünf eins vier", "de", "5 1 4"),
    ("The code is seven two eight.", "en", "The code is 7 2 8."),
    # num2words' other languages, matched against their spelled numbers
    ("siedem dwa osiem", "pl", "7 2 8"),
    ("Mój numer to dwadzieścia pięć, dziękuję.", "pl", "Mój numer to 25, dziękuję."),
    ("Mitt nummer är två fem nio.", "sv", "Mitt nummer är 2 5 9."),
    ("tjugofem", "sv", "25"),
    ("Мой номер: семь, два, восемь.", "ru", "Мой номер: 7, 2, 8."),
    ("Номер двадцять п’ять", "uk", "Номер 25"),          # a typographic apostrophe
    ("Soita numeroon yksi kaksi kolme", "fi", "Soita numeroon 1 2 3"),
    ("Numara Yedi iki sekiz", "tr", "Numara 7 2 8"),     # any case
    ("trzysta czterdzieści jeden", "pl", "341"),         # the longest phrase wins
])
def test_spoken_numbers_are_written_as_digits(text, language, digits) -> None:
    assert numbers_as_digits(text, language) == digits


def test_punctuation_ends_a_number_phrase() -> None:
    # "dwadzieścia, pięć" is two numbers said in turn, not 25
    assert numbers_as_digits("dwadzieścia, pięć", "pl") == "20, 5"


@pytest.mark.parametrize("text, language", [
    ("The code is 728.", "en"),        # nothing to convert
    ("Dzień dobry wszystkim", "pl"),   # no number words
    ("七二八", "ja"),                   # written without spaces: left as it is
    ("siedem dwa osiem", "xx"),        # a language neither library knows
    ("siedem dwa osiem", None),        # no language detected
])
def test_nothing_to_write_gives_none(text, language) -> None:
    assert numbers_as_digits(text, language) is None


def test_the_lexicon_spells_every_number_up_to_999_once() -> None:
    lexicon = number_lexicon("ru")
    assert sorted(lexicon.values()) == list(range(1000))
    assert lexicon["двадцать пять"] == 25 and lexicon["ноль"] == 0
    assert number_lexicon("kk") == number_lexicon("kz") != {}  # Whisper's and num2words' Kazakh
    assert number_lexicon("zh") == {} and number_lexicon("xx") == {}
