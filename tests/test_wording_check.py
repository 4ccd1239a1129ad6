"""The wording check pairs items by id and reports what moved."""

import pytest

from audiorouter.evals.experiments.wording_check import compare, paired_difference


def record(item_id, skill, correct, tools):
    return {"id": item_id, "meta": {"skill": skill}, "correct": correct, "tools_used": tools,
            "error": None}


def test_paired_difference_and_interval():
    mean, low, high = paired_difference([True, True, False, False], [True, False, False, False])
    assert mean == pytest.approx(-0.25) and low < -0.25 < high
    assert paired_difference([True] * 5, [True] * 5) == (0.0, 0.0, 0.0)


def test_compare_pairs_by_id_and_finds_the_tool_that_moved():
    seen = [record("a", "sound_presence", True, ["tag_sounds"]),
            record("b", "sound_presence", True, ["tag_sounds", "audio_info"]),
            record("c", "tempo", False, ["analyze_rhythm"]),
            {**record("d", "tempo", True, []), "error": "failed"}]
    held = [record("b", "sound_presence", False, ["audio_info"]),
            record("a", "sound_presence", False, []),
            record("c", "tempo", False, ["analyze_rhythm"])]
    out = compare(seen, held)
    assert out["items"] == 3 and out["accuracy_seen"] == pytest.approx(2 / 3)
    assert out["accuracy_held_out"] == 0 and out["same_route"] == pytest.approx(1 / 3)
    top = out["largest_call_rate_shifts"][0]
    assert (top["skill"], top["tool"], top["seen"], top["held_out"]) == ("sound_presence", "tag_sounds", 1.0, 0.0)
