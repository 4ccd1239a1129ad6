import math

import pytest

from audiorouter.training.config import Args
from audiorouter.evals.experiments import data_efficiency
from audiorouter.evals.experiments.data_efficiency import Config, summarise


def _records(correct: list[int], calls: int) -> list[dict]:
    return [{"id": f"item-{i}", "correct": bool(c), "tools_used": ["t"] * calls} for i, c in enumerate(correct)]


def test_the_summary_averages_seeds_and_measures_the_oracle_gain_recovered():
    records = {"none": _records([1, 0, 0, 0], 0), "all": _records([1, 1, 1, 0], 10),
               "oracle": _records([1, 1, 1, 1], 1),
               "learned-n16-s0": _records([1, 1, 0, 0], 2), "learned-n16-s1": _records([1, 1, 1, 0], 4),
               "learned-n32-s0": _records([1, 1, 1, 1], 3)}
    runs = {"learned-n16-s1": (16, 1), "learned-n32-s0": (32, 0), "learned-n16-s0": (16, 0)}  # seeds sorted
    result = summarise(records, runs)
    assert result["routers"]["all"]["calls"] == 10
    n16 = result["sizes"][16]
    assert n16["accuracy"] == pytest.approx(0.625) and n16["accuracy_sd"] == pytest.approx(0.125)
    assert n16["calls"] == 3 and n16["seeds"] == 2 and n16["seed_accuracies"] == [0.5, 0.75]
    assert n16["vs_all_points"] == pytest.approx(-12.5)
    # per item, the seeds' mean minus all tools is 0, 0, -0.5, 0; of 4 draws, 4 of the third (0.4%) lie
    # below the 2.5% point and 3 or more (5.1%) reach past it, so the low end is 3 of them: -37.5
    assert n16["vs_all_interval"] == pytest.approx([-37.5, 0.0])
    assert n16["oracle_gain_recovered"] == pytest.approx((0.625 - 0.25) / 0.75)
    assert result["sizes"][32]["oracle_gain_recovered"] == pytest.approx(1.0)


def test_the_table_lists_each_seed_and_says_what_this_invocation_cost():
    records = {"none": _records([0, 0], 0), "all": _records([1, 0], 10), "oracle": _records([1, 1], 1),
               "learned-n4-s0": _records([1, 0], 2), "learned-n4-s1": _records([1, 1], 4)}
    results = summarise(records, {"learned-n4-s0": (4, 0), "learned-n4-s1": (4, 1)})
    config = Config(train="t", test="bench/test-k3.json")
    table = data_efficiency.markdown({**results, "wall_s": 90.0, "answered": 2}, config)
    assert ("| learned (mean of 2) | 4 items | 75.0% ± 25.0 | 50.0 / 100.0 | 3.00 | +25.0 pts [+0.0, +50.0] "
            "| 75% |") in table
    assert "2 from `test-k3.json`; this invocation worked on 2 of them in 1.5 min" in table
    cached = data_efficiency.markdown({**results, "wall_s": 0.1, "answered": 0}, config)
    assert "answers were already in the output folder" in cached and "0.0 min" not in cached
    assert "computed on one machine: `not recorded`" in table


def test_the_table_says_which_machines_answered_its_items():
    records = {"none": _records([0, 0, 0], 0), "all": _records([1, 0, 0], 10),
               "oracle": [{**r, "machine": m} for r, m in zip(_records([1, 1, 1], 1), "ABA")],
               "learned-n4-s0": _records([1, 0, 1], 2)}
    results = summarise(records, {"learned-n4-s0": (4, 0)})
    assert results["machines"] == {"A": 2, "B": 1}
    table = data_efficiency.markdown({**results, "wall_s": 1.0, "answered": 0}, Config(train="t", test="t"))
    assert "the items on 2: 2 items on `A`; 1 item on `B`." in table


def test_without_an_oracle_gain_the_share_is_undefined_not_a_division_error():
    records = {"none": _records([1, 1], 0), "all": _records([1, 1], 10), "oracle": _records([1, 1], 0),
               "learned-n2-s0": _records([1, 0], 1)}
    result = summarise(records, {"learned-n2-s0": (2, 0)})
    assert math.isnan(result["sizes"][2]["oracle_gain_recovered"])


def test_the_plot_shows_every_seed_and_the_call_goal():
    from matplotlib.collections import PathCollection

    records = {"none": _records([0, 0], 0), "all": _records([1, 0], 10), "oracle": _records([1, 1], 3),
               "learned-n4-s0": _records([1, 0], 2), "learned-n4-s1": _records([1, 1], 4),
               "learned-n8-s0": _records([1, 1], 6)}
    results = summarise(records, {"learned-n4-s0": (4, 0), "learned-n4-s1": (4, 1), "learned-n8-s0": (8, 0)})
    fig = data_efficiency.figure(results)
    accuracy, calls = fig.axes
    seeds = sorted(tuple(p) for c in accuracy.collections if isinstance(c, PathCollection)
                   for p in c.get_offsets().tolist())
    assert seeds == [(4, 50), (4, 100), (8, 100)]
    assert {t.get_text() for t in accuracy.texts} >= {"2 seeds", "1 seed", "none", "all", "oracle"}
    assert [tuple(line.get_ydata()) for line in calls.lines if line.get_label() == "learned router"] == [(3, 6)]
    assert 5 in {line.get_ydata()[0] for line in calls.lines}  # the goal: half of all tools' calls
    data_efficiency.pyplot().close(fig)


@pytest.mark.slow
def test_the_experiment_trains_evaluates_and_writes_its_table(tmp_path):
    from audiorouter.data import build_benchmark

    paths = build_benchmark(tmp_path / "bench", 2, seed=3, splits=("train", "test"),
                            fractions={"train": 1, "test": 1}, skills=["event_count"], progress=False)
    page = tmp_path / "results.md"
    config = Config(train=str(paths["train"]), test=str(paths["test"]), sizes=[1], seeds=[0, 1],
                    out=str(tmp_path / "run"), reasoner="smollm2-135m-instruct", page=str(page),
                    train_args=Args(epochs=1, group_size=2, items_per_batch=1, update_epochs=1, progress=False))
    results = data_efficiency.run(config)
    assert set(results["routers"]) == {"none", "all", "oracle", "learned-n1-s0", "learned-n1-s1"}
    assert results["routers"]["none"]["items"] == 1 and results["sizes"][1]["seeds"] == 2
    assert (tmp_path / "run" / "data_efficiency.png").stat().st_size > 1000
    text = page.read_text()
    assert "| learned (mean of 2) | 1 items |" in text and text.count(data_efficiency.MARKS[1]) == 1
    assert f"this invocation worked on {results['answered']} of them" in text
    assert "](run/data_efficiency.png)" in text  # the page shows the one plot by relative path
    again = data_efficiency.run(config)  # resumed: nothing is trained or answered again
    assert again["routers"] == results["routers"] and again["answered"] == 0
    assert "answers were already in the output folder" in page.read_text()


def test_runs_are_every_size_per_seed_or_the_pairs_given():
    from audiorouter.evals.experiments.data_efficiency import planned_runs

    assert planned_runs(Config(train="t", test="t", sizes=[16, 32], seeds=[0, 1])) == [(16, 0), (32, 0), (16, 1), (32, 1)]
    assert planned_runs(Config(train="t", test="t", runs=["16:0", "16:1", "32:0"])) == [(16, 0), (16, 1), (32, 0)]
    with pytest.raises(ValueError, match="size:seed"):
        planned_runs(Config(train="t", test="t", runs=["16"]))


def test_a_router_says_what_it_was_really_trained_on(tmp_path, capsys):
    from audiorouter.agent.routers.features import FEATURE_DIM
    from audiorouter.agent.routers.learned import policy_network, save_router
    from audiorouter.evals.experiments.data_efficiency import trained_router
    from audiorouter.tools import tool_names
    from audiorouter.tools.registry import tool_versions

    path = tmp_path / "router.pt"
    save_router(path, policy_network(FEATURE_DIM, len(tool_names()), 8), tool_names(), hidden=8,
                obs_dim=FEATURE_DIM, metadata={"num_items": 12, "tools": tool_versions()})
    assert trained_router(path, 12)[1] == 12 and capsys.readouterr().err == ""
    save_router(path, policy_network(FEATURE_DIM, len(tool_names()), 8), tool_names(), hidden=8,
                obs_dim=FEATURE_DIM, metadata={"num_items": 12, "tools": "transcribe 1"})
    router, trained_on = trained_router(path, 16)
    err = capsys.readouterr().err
    assert trained_on == 12 and "trained on 12 items, not 16" in err
    assert "tool versions transcribe 1" in err and router.checkpoint.metadata["num_items"] == 12


def test_training_arguments_come_as_name_value_pairs():
    args = data_efficiency.train_args(["epochs=2", "learning-rate=0.01", "algorithm=ppo", "progress=false"])
    assert (args.epochs, args.learning_rate, args.algorithm, args.progress) == (2, 0.01, "ppo", False)
    with pytest.raises(ValueError, match="no NAME=VALUE"):
        data_efficiency.train_args(["epochs"])
    with pytest.raises(ValueError, match="no NAME=VALUE"):
        data_efficiency.train_args(["speed=3"])
