"""A bad question fails up front with a QuestionError that says what to pass."""

import numpy as np
import pytest

from audiorouter.agent import build_graph
from audiorouter.agent.reasoners.answer import Answer
from audiorouter.agent.inputs import MAX_CHOICES, QuestionError, check_question
from audiorouter.agent.routers.routing import NoToolsRouter, Route
from audiorouter.tools.errors import AudioRouterError, UnsupportedAudioFormatError

AUDIO = (np.sin(np.arange(8000) / 5).astype(np.float32) * 0.3, 16_000)


class CountingRouter(NoToolsRouter):
    def __init__(self):
        self.calls = 0

    def decide(self, question, choices, clip) -> Route:
        self.calls += 1
        return super().decide(question, choices, clip)


class FirstOption:
    name = "first-option"

    def answer(self, clip, question, choices, evidence):
        return Answer(text=choices[0] if choices else "x", choice=0 if choices else None)


@pytest.mark.parametrize("data, message", [
    ({"audio": AUDIO, "question": "n?", "choices": "2,3,4"}, "not the string '2,3,4'"),
    ({"audio": AUDIO, "question": "n?", "choices": ["2", "2 ", "4"]}, "must differ"),
    ({"audio": AUDIO, "question": "n?", "choices": ["2", "", "4"]}, "non-empty text"),
    ({"audio": AUDIO, "question": "n?", "choices": ["2"]}, f"2 to {MAX_CHOICES} options"),
    ({"audio": AUDIO, "question": "n?", "choices": [str(i) for i in range(11)]}, "not 11"),
    ({"audio": AUDIO, "question": None}, "non-empty text, not None"),
    ({"audio": AUDIO, "question": "  "}, "non-empty text"),
    ({"question": "n?"}, "'audio' is missing"),
    ({"audio": None, "question": "n?"}, "no audio given"),
    ({"audio": AUDIO}, "'question' is missing"),
])
def test_a_bad_question_fails_before_the_router_runs(data, message):
    router = CountingRouter()
    graph = build_graph(router, FirstOption())
    with pytest.raises(QuestionError, match=message) as caught:
        graph.invoke(data)
    assert router.calls == 0
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, AudioRouterError)


def test_good_questions_are_cleaned_not_refused():
    asked = check_question({"audio": AUDIO, "question": " How many? ", "choices": [2, "3 ", 4.5]})
    assert (asked.question, asked.choices) == ("How many?", ["2", "3", "4.5"])
    assert check_question({"audio": AUDIO, "question": "What?"}).choices is None
    out = build_graph(NoToolsRouter(), FirstOption()).invoke(
        {"audio": AUDIO, "question": "n?", "choices": ["a ", "b"]})
    assert out["answer"] == "a"


def test_not_a_dict_is_refused():
    with pytest.raises(QuestionError, match="pass a dict"):
        check_question(["a.wav", "q"])


def test_a_url_is_not_fetched():
    from audiorouter.tools import load_audio

    with pytest.raises(UnsupportedAudioFormatError, match="URLs are not fetched: download "
                                                          "https://example.com/a.wav first"):
        load_audio("https://example.com/a.wav")
