import json

from audiorouter.evals.experiments.agreement import agreement


def write(folder, router, rows):
    folder.mkdir(exist_ok=True)
    records = [{"id": i, "choice": c, "probabilities": p, "error": e} for i, c, p, e in rows]
    (folder / f"predictions-{router}.json").write_text(json.dumps(records))


def test_agreement_counts_the_same_choices_on_the_items_both_answered(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write(a, "all", [("q0", 0, [0.9, 0.1], None), ("q1", 1, [0.4, 0.6], None), ("q2", 0, [0.7, 0.3], None),
                     ("q3", 0, [0.8, 0.2], None)])
    write(b, "all", [("q0", 0, [0.9, 0.1], None), ("q1", 0, [0.55, 0.45], None), ("q2", 0, [0.7, 0.3], None),
                     ("q3", None, None, "tool failed")])  # q3 failed on one side: not compared
    write(a, "oracle", [("q0", 0, [1.0, 0.0], None)])
    write(b, "oracle", [("q0", 1, [0.0, 1.0], None)])
    write(a, "none", [("q9", 0, [0.5, 0.5], None)])  # no counterpart: left out
    result = agreement(a, b)
    assert set(result) == {"all"}
    assert result["all"] == {"items": 3, "same_choice": 2 / 3, "max_probability_change": 0.15}
