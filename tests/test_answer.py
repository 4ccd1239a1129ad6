import numpy as np
import pytest

from audiorouter.agent.reasoners.answer import (Answer, AnswerError, ReasonerError, check_answer, check_choices,
                                                softmax)


def test_an_answer_that_fits_the_question_passes():
    answer = Answer(text="b", choice=1, probabilities=[0.25, 0.75])
    assert check_answer(answer, ["a", "b"]) is answer and answer.probability_of(1) == 0.75
    assert Answer(text="x").probability_of(0) is None
    failed = Answer(text="", error="model down")
    assert check_answer(failed, ["a", "b"]) is failed  # a declared failure needs no choice


@pytest.mark.parametrize("answer", [
    "b", Answer(text="c", choice=2), Answer(text="a"), Answer(text="a", choice=0, probabilities=[1.0]),
    Answer(text="a", choice=0, probabilities=[0.9, 0.9]), Answer(text="a", choice=0, probabilities=[np.nan, 1])])
def test_answers_that_do_not_fit_are_refused(answer):
    with pytest.raises(AnswerError):
        check_answer(answer, ["a", "b"])


def test_option_counts_and_softmax():
    check_choices(None)
    check_choices(["a", "b"])
    for bad in (["a"], [str(i) for i in range(11)]):
        with pytest.raises(ReasonerError, match="2 to 10 options"):
            check_choices(bad)
    p = softmax([0.0, np.log(3.0)])
    np.testing.assert_allclose(p, [0.25, 0.75])
    assert np.isfinite(softmax([1000.0, 0.0])).all()
