"""`audiorouter experiment ...`: each experiment's command reads its folders and prints its result."""

import json

from typer.testing import CliRunner

from audiorouter.evals.cli import app
from audiorouter.evals.experiments import data_efficiency

runner = CliRunner()


def _folder(path, router, records):
    path.mkdir()
    (path / f"predictions-{router}.json").write_text(json.dumps(records))


def test_agreement_prints_each_router_found_in_both_folders(tmp_path):
    for name, choice in (("a", 0), ("b", 1)):
        _folder(tmp_path / name, "all", [{"id": "q0", "choice": 0, "probabilities": [0.9, 0.1]},
                                         {"id": "q1", "choice": choice, "probabilities": [0.5, 0.5]}])
    result = runner.invoke(app, ["experiment", "agreement", str(tmp_path / "a"), str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert result.output == "all: same option on 50.0% of 2 items; largest probability change 0\n"


def test_wording_check_prints_the_comparison_and_writes_it(tmp_path):
    def record(item_id, correct, tools):
        return {"id": item_id, "meta": {"skill": "tempo"}, "correct": correct, "tools_used": tools, "error": None}

    _folder(tmp_path / "s", "llm", [record("a", True, ["analyze_rhythm"]), record("b", True, [])])
    _folder(tmp_path / "h", "llm", [record("a", False, []), record("b", True, [])])
    result = runner.invoke(app, ["experiment", "wording-check", str(tmp_path / "s"), str(tmp_path / "h"),
                                 "--router", "llm", "--out", str(tmp_path / "w.json")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("llm on 2 items: 100.0% in trained wordings, 50.0% in held-out ones")
    assert "  tempo              analyze_rhythm    0.50 -> 0.00" in result.output
    assert json.loads((tmp_path / "w.json").read_text())["items"] == 2


def test_data_efficiency_builds_its_config_from_the_options(monkeypatch):
    configs = []
    monkeypatch.setattr(data_efficiency, "run", configs.append)
    result = runner.invoke(app, ["experiment", "data-efficiency", "--train", "t.json", "--test", "e.json",
                                 "--sizes", "16,32", "--seeds", "0", "--test-limit", "4", "--train-arg", "epochs=1"])
    assert result.exit_code == 0, result.output
    config = configs[0]
    assert (config.sizes, config.seeds, config.runs, config.test_limit) == ([16, 32], [0], None, 4)
    assert config.train_args.epochs == 1 and config.out == "runs/data-efficiency"
    bad = runner.invoke(app, ["experiment", "data-efficiency", "--train", "t", "--test", "e", "--sizes", "x"])
    assert bad.exit_code == 2 and not configs[1:]
