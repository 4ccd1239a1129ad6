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


SYSTEM = chatml([("system", "You answer questions. " * 20)], open_assistant=False)


def test_an_anchored_prefix_is_not_evaluated_twice(llm):
    llm.prefill(SYSTEM)
    llm.letter_distribution(SYSTEM + chatml([("user", "Question one?")]), "AB")
    before = dict(llm.stats)
    llm.letter_distribution(SYSTEM + chatml([("user", "Question two?")]), "AB")
    evaluated = llm.stats["evaluated_tokens"] - before["evaluated_tokens"]
    prompt = llm.stats["prompt_tokens"] - before["prompt_tokens"]
    assert evaluated < prompt / 3  # only the tail after the anchored system prompt


def test_a_prompt_scores_the_same_whatever_was_cached_before_it(llm):
    prompt = SYSTEM + chatml([("user", "Is the sky blue? Answer yes or no.")])
    llm.reset()
    llm.prefill(SYSTEM)
    first = llm.continuation_logprobs(prompt, ["yes", "no"], end="<|im_end|>")
    for before in (prompt,  # all of it cached: only the last token would be new
                   prompt.replace("blue?", "green?"),  # most of it cached
                   "Something else entirely"):  # nothing of it cached
        llm.letter_distribution(before, "AB")
        again = llm.continuation_logprobs(prompt, ["yes", "no"], end="<|im_end|>")
        for a, b in zip(first, again):
            np.testing.assert_array_equal(a, b)


def test_a_prompt_scores_the_same_after_other_questions_in_the_same_process(llm):
    """What an evaluation does between two items: other prompts of other lengths, each with
    its own options scored as parallel branches, and free text generated."""
    rng = np.random.default_rng(0)
    words = "speech music knock beep drum loud soft tempo key note chord first second sound".split()
    prompt = SYSTEM + chatml([("user", "How many knocks? count_events: 4 sound events")])
    llm.prefill(SYSTEM)
    first = llm.continuation_logprobs(prompt, ["2", "3", "4", "5"], end="<|im_end|>")
    for _ in range(6):
        other = SYSTEM + chatml([("user", " ".join(rng.choice(words, size=rng.integers(5, 300))))])
        options = [" ".join(rng.choice(words, size=rng.integers(1, 7))) for _ in range(rng.integers(2, 6))]
        llm.continuation_logprobs(other, options, end="<|im_end|>")
        llm.generate(other, max_tokens=6)
        llm.prefill(SYSTEM)
        again = llm.continuation_logprobs(prompt, ["2", "3", "4", "5"], end="<|im_end|>")
        for a, b in zip(first, again):
            np.testing.assert_array_equal(a, b)


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


def test_continuations_score_like_feeding_them_token_by_token(llm):
    prompt = chatml([("user", "Name a colour.")])
    options = ["red", "dark blue", "green"]
    scored = llm.continuation_logprobs(prompt, options, end="<|im_end|>")
    for option, got in zip(options, scored):
        tokens = llm.tokenize(prompt)
        follow = llm.tokenize(option) + [llm.tokenize("<|im_end|>")[0]]
        want = []
        for token in follow:  # one token at a time through the single-sequence path
            llm.reset()
            logits = llm._prefill(tokens).astype(np.float64)
            want.append(logits[token] - logits.max() - np.log(np.exp(logits - logits.max()).sum()))
            tokens = tokens + [token]
        assert got.shape == (len(follow),)
        np.testing.assert_allclose(got, want, atol=0.05)


def test_the_end_token_tells_an_option_from_its_extensions(llm):
    prompt = chatml([("user", "Reply with the number 3 and nothing else.")])
    three, thirty = llm.continuation_logprobs(prompt, ["3", "30"], end="<|im_end|>")
    assert len(three) == 2 and len(thirty) == 3


def test_continuations_leave_the_prompt_cache_usable(llm):
    prompt = chatml([("user", "Is the sky blue?\nA. yes\nB. no")])
    before = llm.letter_distribution(prompt, "AB")
    llm.continuation_logprobs(prompt, ["yes", "no"], end="<|im_end|>")
    np.testing.assert_allclose(llm.letter_distribution(prompt, "AB"), before, atol=1e-4)


def test_bad_continuation_lists_are_refused(llm):
    with pytest.raises(LocalLLMError, match="1 to 10"):
        llm.continuation_logprobs(chatml([("user", "x")]), [])
    with pytest.raises(LocalLLMError, match="empty"):
        llm.continuation_logprobs(chatml([("user", "x")]), ["a", ""])
