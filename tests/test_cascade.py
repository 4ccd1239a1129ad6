import json

import numpy as np
import pytest

from audiorouter.agent.reasoners.answer import ReasonerError
from audiorouter.agent.reasoners.cascade import CascadeReasoner
from audiorouter.data import synth
from audiorouter.tools import get_tool, load_audio, run_tools, tool_names
from audiorouter.tools.models import SMOLLM2_135M


@pytest.fixture(scope="module")
def clip_and_evidence(knocks):
    audio, _ = knocks
    clip = load_audio(audio, 16_000)
    return clip, [get_tool("count_events").execute(clip)]


@pytest.mark.slow
def test_cascade_multiple_choice_returns_probabilities(small_reasoner, clip_and_evidence):
    clip, evidence = clip_and_evidence
    answer = small_reasoner.answer(clip, "How many knocks are heard?", ["2", "3", "4", "5"], evidence)
    assert len(answer.probabilities) == 4 and np.isclose(sum(answer.probabilities), 1, atol=1e-3)
    assert answer.choice == int(np.argmax(answer.probabilities)) and answer.text == ["2", "3", "4", "5"][answer.choice]
    assert answer.prompt_tokens > 500  # the worked examples are part of every prompt


@pytest.mark.slow
def test_option_order_does_not_change_the_probabilities(small_reasoner, clip_and_evidence):
    clip, evidence = clip_and_evidence
    choices = ["two", "three", "four", "five"]
    a = small_reasoner.answer(clip, "How many knocks?", choices, evidence).probabilities
    rotated = choices[1:] + choices[:1]
    b = small_reasoner.answer(clip, "How many knocks?", rotated, evidence).probabilities
    np.testing.assert_allclose(b, a[1:] + a[:1], atol=1e-4)


@pytest.mark.slow
def test_letter_scoring_with_cyclic_rotations_removes_position_bias(clip_and_evidence):
    clip, evidence = clip_and_evidence
    reasoner = CascadeReasoner(SMOLLM2_135M, scoring="letters", use_cache=False)
    choices = ["two", "three", "four", "five"]
    a = reasoner.answer(clip, "How many knocks?", choices, evidence).probabilities
    b = reasoner.answer(clip, "How many knocks?", choices[1:] + choices[:1], evidence).probabilities
    np.testing.assert_allclose(b, a[1:] + a[:1], atol=1e-2)  # rounding of reused prefixes


def test_calibration_divides_out_the_no_evidence_scores(monkeypatch, clip_and_evidence):
    clip, evidence = clip_and_evidence
    reasoner = CascadeReasoner(SMOLLM2_135M, calibration="no_evidence", use_cache=False)
    scores = {True: np.log([0.5, 0.3, 0.2]), False: np.log([0.6, 0.3, 0.1])}  # with / without evidence
    monkeypatch.setattr(reasoner, "_log_likelihoods",
                        lambda prompt, choices: (scores[evidence[0].summary in prompt], 99))
    p = reasoner.answer(clip, "q", ["a", "b", "c"], evidence).probabilities
    ratio = np.array([0.5 / 0.6, 0.3 / 0.3, 0.2 / 0.1])
    np.testing.assert_allclose(p, ratio / ratio.sum(), atol=1e-4)
    raw = reasoner.answer(clip, "q", ["a", "b", "c"], []).probabilities  # no evidence: raw scores
    np.testing.assert_allclose(raw, [0.6, 0.3, 0.1], atol=1e-4)


@pytest.mark.parametrize("setting", [dict(scoring="letter"), dict(calibration="content_free"), dict(length="max")])
def test_unknown_settings_are_refused_by_name(setting):
    name = next(iter(setting))
    with pytest.raises(ValueError, match=f"{name} must be one of"):
        CascadeReasoner(SMOLLM2_135M, **setting)


def test_the_name_tells_every_scoring_apart_and_the_cache_key_holds_the_model_alone():
    """Evaluations and training runs record the name: a folder made under another scoring
    must not be resumed as if it were this one. Cached outputs are keyed by their kind."""
    settings = [{}, dict(length="sum"), dict(length="mean"), dict(scoring="letters"),
                dict(calibration="no_evidence"), dict(examples=())]
    reasoners = [CascadeReasoner(SMOLLM2_135M, **s) for s in settings]
    assert len({r.name for r in reasoners}) == len(settings)
    assert reasoners[0].name == f"cascade:{SMOLLM2_135M.name} (options, length sqrt)"
    assert reasoners[-1].name.endswith(", no worked examples)")
    assert {r.model_name for r in reasoners} == {f"cascade:{SMOLLM2_135M.name}"}


class _FixedScores:
    """A stand-in model whose options' token log-probabilities are given."""

    def __init__(self, logprobs):
        self.logprobs = logprobs

    def prefill(self, text):
        pass

    def tokenize(self, text):
        return text.split()

    def continuation_logprobs(self, prompt, choices, end=None):
        return [np.asarray(self.logprobs[c]) for c in choices]


@pytest.mark.parametrize("length, expected", [("sum", [-1.0, -1.5]), ("sqrt", [-1.0, -1.5 / np.sqrt(3)]),
                                              ("mean", [-1.0, -0.5])])
def test_length_divides_each_options_summed_token_scores_by_its_power(monkeypatch, clip_and_evidence, length, expected):
    clip, evidence = clip_and_evidence
    model = _FixedScores({"short": [-1.0], "a longer one": [-0.5, -0.5, -0.5]})
    monkeypatch.setattr(CascadeReasoner, "llm", property(lambda self: model))
    reasoner = CascadeReasoner(SMOLLM2_135M, length=length, use_cache=False)
    p = reasoner.answer(clip, "q", ["short", "a longer one"], evidence).probabilities
    want = np.exp(expected) / np.exp(expected).sum()
    np.testing.assert_allclose(p, want, atol=1e-4)
    assert reasoner.answer(clip, "q", ["short", "a longer one"], evidence).text == ("short" if length == "sum" else "a longer one")


@pytest.mark.slow
def test_open_questions_get_text(small_reasoner, clip_and_evidence):
    clip, evidence = clip_and_evidence
    answer = small_reasoner.answer(clip, "What do you hear?", None, evidence)
    assert answer.choice is None and isinstance(answer.text, str) and answer.text


def test_bad_option_counts_are_refused(small_reasoner, clip_and_evidence):
    clip, evidence = clip_and_evidence
    with pytest.raises(ReasonerError):
        small_reasoner.answer(clip, "q", ["only one"], evidence)


@pytest.fixture(scope="module")
def four_beeps():
    """A user's clip: four 1 kHz beeps between silences, every tool's evidence."""
    beep, gap = synth.tone(1000, 0.2), synth.silence(0.6)
    clip = load_audio(synth.concat([gap, beep, gap, beep, gap, beep, gap, beep, gap]), 16_000)
    return clip, run_tools(clip, tool_names(), use_cache=False)


@pytest.mark.slow
def test_the_default_reasoner_answers_four_beeps_from_the_evidence(four_beeps):
    clip, evidence = four_beeps
    reasoner = CascadeReasoner(use_cache=False)  # Qwen2.5-Coder-1.5B, the offline default
    chosen = reasoner.answer(clip, "How many beeps are there?", ["2", "3", "4", "5"], evidence)
    assert chosen.text == "4" and chosen.probabilities[2] > 0.5, chosen
    assert "4" in reasoner.answer(clip, "How many beeps are there?", None, evidence).text


@pytest.mark.slow
def test_a_damaged_answer_cache_entry_is_recomputed(clip_and_evidence, tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIOROUTER_CACHE", str(tmp_path))
    clip, evidence = clip_and_evidence
    first = CascadeReasoner(SMOLLM2_135M).answer(clip, "How many knocks?", ["3", "4"], evidence)
    (entry,) = (tmp_path / "reasoner").rglob("*.json")
    entry.write_text('{"p": [0.5, 0.5')  # a torn write
    with pytest.warns(UserWarning, match="dropped the damaged cache entry"):
        again = CascadeReasoner(SMOLLM2_135M).answer(clip, "How many knocks?", ["3", "4"], evidence)
    assert again.error is None and again.probabilities == pytest.approx(first.probabilities)
    assert json.loads(entry.read_text())  # and the good answer took its place


@pytest.mark.slow
def test_concurrent_answers_equal_sequential_ones(clip_and_evidence):
    """Threads share one llama.cpp context; every prompt starts from the same anchor, so the
    order in which they are served changes no score."""
    from concurrent.futures import ThreadPoolExecutor

    clip, evidence = clip_and_evidence
    reasoner = CascadeReasoner(SMOLLM2_135M, use_cache=False)
    asks = [(f"How many knocks are heard, question {i}?", [str(i), str(i + 1), str(i + 2)],
             evidence if i % 2 else []) for i in range(12)]
    sequential = [reasoner.answer(clip, *ask) for ask in asks]
    with ThreadPoolExecutor(12) as pool:  # served in whatever order the threads get the model
        concurrent = list(pool.map(lambda ask: reasoner.answer(clip, *ask), asks[::-1]))[::-1]
    assert [a.probabilities for a in concurrent] == [a.probabilities for a in sequential]
