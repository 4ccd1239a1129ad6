import numpy as np
import pytest

from audiorouter.agent.local_llm import LocalLLMError, chatml, load_local_llm
from audiorouter.tools.models import SMOLLM2_135M

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def llm():
    return load_local_llm(SMOLLM2_135M)


def test_chatml_ends_in_the_assistant_turn():
    text = chatml([("system", "s"), ("user", "u")])
    assert text == "<|im_start|>system\ns<|im_end|>\n<|im_start|>user\nu<|im_end|>\n<|im_start|>assistant\n"


def test_letter_distribution_is_a_distribution(llm):
    p = llm.letter_distribution(chatml([("user", "Pick one.\nA. x\nB. y\nC. z")]), "ABC")
    assert p.shape == (3,) and np.isclose(p.sum(), 1) and (p > 0).all()


def test_shared_prefixes_are_not_evaluated_twice(llm):
    base = chatml([("system", "You answer questions. " * 20), ("user", "Question one?")])
    llm.letter_distribution(base, "AB")
    before = dict(llm.stats)
    llm.letter_distribution(base.replace("one", "two"), "AB")
    evaluated = llm.stats["evaluated_tokens"] - before["evaluated_tokens"]
    prompt = llm.stats["prompt_tokens"] - before["prompt_tokens"]
    assert evaluated < prompt / 3  # only the tail after the shared system prompt


def test_reused_prefix_gives_the_same_scores_as_a_cold_run(llm):
    a = chatml([("user", "Is the sky blue?\nA. yes\nB. no")])
    first = llm.letter_distribution(a, "AB")
    llm.letter_distribution(chatml([("user", "Something else entirely")]), "AB")
    np.testing.assert_allclose(llm.letter_distribution(a, "AB"), first, atol=1e-4)


def test_generation_is_greedy_and_deterministic(llm):
    prompt = chatml([("user", "What is the capital of France? One word.")])
    first = llm.generate(prompt, max_tokens=8)
    assert first and first == llm.generate(prompt, max_tokens=8)


def test_multi_token_letters_are_refused(llm):
    with pytest.raises(LocalLLMError, match="single token"):
        llm.letter_distribution(chatml([("user", "x")]), ["Apple pie", "B"])


def test_one_instance_per_model_however_it_is_named(llm):
    from audiorouter.tools import resolve_model

    assert load_local_llm(SMOLLM2_135M, 4096) is llm
    assert load_local_llm(resolve_model(SMOLLM2_135M)) is llm
