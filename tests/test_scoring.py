import math

import numpy as np
import pytest

from audiorouter.data.mmau import is_correct
from audiorouter.evals.scoring import (Z95, Accuracy, accuracy, breakdown, indistinct, paired_difference, names_value,
                                      rescore)


def test_wilson_interval_known_values():
    low, high = Accuracy(8, 10).interval  # Wilson 95% for 8/10: 0.490 .. 0.943
    assert (round(low, 3), round(high, 3)) == (0.490, 0.943)
    assert Accuracy(0, 5).interval[0] == 0.0 and 0 < Accuracy(0, 5).interval[1] < 0.5
    assert Accuracy(5, 5).interval[1] == 1.0
    assert all(math.isnan(x) for x in Accuracy(0, 0).interval)
    assert str(Accuracy(1, 2)).startswith("50.0% [")


def test_breakdowns_use_the_first_key_present():
    records = [{"correct": True, "task": "sound", "sub-category": "count", "category": "c"},
               {"correct": False, "task": "sound", "sub-category": None, "category": "c"},
               {"correct": True, "task": "music", "sub-category": None, "category": None}]
    assert accuracy(records) == Accuracy(2, 3)
    assert breakdown(records, "task") == {"music": Accuracy(1, 1), "sound": Accuracy(1, 2)}
    assert breakdown(records, "sub-category") == {"count": Accuracy(1, 1)}
    assert breakdown(records, "sub-category", "category") == {"c": Accuracy(0, 1), "count": Accuracy(1, 1)}


def test_rescore_reads_either_prediction_key():
    base = {"answer": "Rock", "choices": ["Jazz", "Rock"]}
    records = [{**base, "model_output": "Rock"}, {**base, "model_prediction": "rock"}, {**base}]
    assert rescore(records) == Accuracy(2, 3)


def test_options_with_the_same_words_are_flagged():
    choices = ["0 1 5 3", "0 1 5 4", "0 5 1 4"]
    assert is_correct("0 5 1 4", "0 1 5 4", choices)  # MMAU's rule cannot tell the order apart
    assert indistinct(choices) and not indistinct(["three", "tree", "free"])


def test_the_interval_always_contains_the_observed_accuracy():
    from audiorouter.evals.scoring import Accuracy

    for total in range(1, 60):
        for correct in range(total + 1):
            acc = Accuracy(correct, total)
            low, high = acc.interval
            assert 0.0 <= low <= acc.value <= high <= 1.0


def test_a_paired_difference_keeps_the_items_paired():
    a, b = [1, 1, 0, 1, 0, 1, 1, 0] * 6, [1, 0, 0, 1, 0, 1, 0, 0] * 6  # a is never worse on an item
    mean, low, high = paired_difference(a, b)
    assert mean == pytest.approx(2 / 8)
    assert 0 <= low < mean < high  # a is never worse on an item, so no resample falls below 0
    assert paired_difference(a, b) == (mean, low, high)  # the seed fixes the resamples
    assert paired_difference(b, a) == pytest.approx((-mean, -high, -low), abs=1e-12)  # same resamples
    assert paired_difference(a, a) == (0.0, 0.0, 0.0)


def test_a_paired_difference_interval_is_95_percent():
    rng = np.random.default_rng(1)
    a, b = rng.integers(0, 2, 400), rng.integers(0, 2, 400)
    mean, low, high = paired_difference(a, b)
    normal = Z95 * np.std(a - b) / np.sqrt(400)  # the bootstrap agrees with the normal interval at this n
    assert (high - low) / 2 == pytest.approx(normal, rel=0.05)
    assert (low + high) / 2 == pytest.approx(mean, abs=0.01)


def test_a_paired_difference_refuses_unpaired_lists():
    with pytest.raises(ValueError, match="same items"):
        paired_difference([1, 0], [1])
    with pytest.raises(ValueError, match="same items"):
        paired_difference([], [])
    with pytest.raises(ValueError, match="resamples"):
        paired_difference([1], [0], resamples=0)


@pytest.mark.parametrize("answer, prediction, choices, named", [
    ("4", "There are 4 beeps.", ["2", "3", "4", "5"], True),
    ("4", "4 or 5", ["2", "3", "4", "5"], False),  # also names a wrong option
    ("4.0 seconds", "about 4 seconds", ["2.5 seconds", "3.0 seconds", "3.5 seconds", "4.0 seconds"], True),
    ("G#4", "G#4 (415 Hz)", ["G3", "F#4", "G4", "G#4"], True),
    ("G4", "G#4", ["G3", "F#4", "G4", "G#4"], False),
    ("the second speaker", "the second one", ["the first speaker", "the second speaker"], True),
    ("G minor", "D minor", ["Eb major", "Bb minor", "G minor", "Bb major"], False),  # "g" missing
    ("100 BPM", "about 100 beats per minute", ["72 BPM", "100 BPM", "113 BPM", "167 BPM"], True),
    ("0514", "0 5 1 4", ["0514", "0154", "5014", "0541"], False),  # a digit string is one value
    ("3", "", ["2", "3"], False),
])
def test_a_free_form_answer_names_the_right_value(answer, prediction, choices, named):
    assert names_value(answer, prediction, choices) is named
