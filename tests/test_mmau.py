import pytest

from audiorouter.data.mmau import is_correct, right_option, tokens


def test_tokens_are_lowercase_word_sets():
    assert tokens("The Dog's bark, twice!") == {"the", "dog", "s", "bark", "twice"}


@pytest.mark.parametrize("answer, prediction, choices, expected", [
    ("Rock", "Rock", ["Jazz", "Rock"], True),
    ("Rock", "rock.", ["Jazz", "Rock"], True),
    ("Rock", "The answer is rock", ["Jazz", "Rock"], True),
    ("Rock", "rock or jazz", ["Jazz", "Rock"], False),  # names a wrong option too
    ("Rock", "", ["Jazz", "Rock"], False),  # empty prediction
    ("Rock", "...", ["Jazz", "Rock"], False),  # no tokens at all
    ("piano and guitar", "piano", ["piano", "piano and guitar"], False),  # not every answer token
    ("piano", "piano and guitar", ["piano", "piano and guitar"], False),  # "and guitar" only in a wrong option
    ("piano", "piano", ["piano", "piano and guitar"], True),  # shared tokens are allowed
    ("3", "3", ["3", "13"], True),
    ("3", "13", ["3", "13"], False),
])
def test_mmau_string_match(answer, prediction, choices, expected):
    assert is_correct(answer, prediction, choices) is expected


@pytest.mark.parametrize("answer, choices, expected", [
    ("Rock", ["Jazz", "Rock"], 1),
    (" rock", ["Jazz", "Rock"], 1),  # case and spaces aside, the option's own text
    ("3", ["3", "13"], 0),
    ("rock!", ["Jazz", "Rock"], 1),  # not an option's text: MMAU's rule
    ("7", ["1", "2", "3"], -1),  # names none
    ("2", ["2", "2", "3"], -1),  # the text of two options: no right option
    ("piano", ["piano", "piano and guitar"], 0),
])
def test_the_right_option_is_the_one_the_answer_names(answer, choices, expected):
    assert right_option(answer, choices) == expected
