"""Evaluation on Ray writes what an evaluation here writes: a local Ray instance answers the same
items with the same real tools and reasoner into the same files, and redoes the item of a
worker that was killed while answering it."""

import json
import os
import signal
import sys

import pytest

from audiorouter.data.items import load_items
from audiorouter.evals.ray_answers import RayAnswers
from audiorouter.evals.runner import evaluate
from audiorouter.evals.task import make_routers
from test_runner_eval import _knock_dataset

pytestmark = pytest.mark.slow

ROUTERS = ["none", "all", "random"]
TIMINGS = {"seconds"}  # wall times: the only fields a run's place may change


@pytest.fixture(scope="module")
def ray():
    ray = pytest.importorskip("ray")
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import tests/
    ray.shutdown()  # joined afresh, so workers see this module's environment
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return _knock_dataset(tmp_path_factory.mktemp("knocks"), 3)


HERE = """
import sys
from audiorouter.agent.reasoners.cascade import CascadeReasoner
from audiorouter.data.items import load_items
from audiorouter.evals.runner import evaluate
from audiorouter.evals.task import make_routers
from audiorouter.tools.models import SMOLLM2_135M
evaluate(load_items(sys.argv[1]), make_routers(sys.argv[3].split(",")), CascadeReasoner(SMOLLM2_135M), sys.argv[2])
"""


@pytest.fixture(scope="module")
def here(dataset, tmp_path_factory):
    """The files of an evaluation here, as a user runs one: in a process of its own (as
    each Ray worker is), with a cache of its own, so nothing an earlier test did is reused."""
    import subprocess

    out = tmp_path_factory.mktemp("here")
    subprocess.run([sys.executable, "-c", HERE, str(dataset), str(out / "run"), ",".join(ROUTERS)],
                   env={**os.environ, "AUDIOROUTER_CACHE": str(out / "cache")}, check=True)
    return _files(out / "run")


def _differences(files: dict, expected: dict) -> list[tuple]:
    """(file, line, field) wherever two runs' files differ: empty when they are the same."""
    if set(files) != set(expected):
        return [("files", sorted(set(files) ^ set(expected)))]
    found = []
    for name in sorted(files):
        a, b = files[name], expected[name]
        if not isinstance(a, list):
            found += [(name, key) for key in sorted(set(a) | set(b)) if a.get(key) != b.get(key)]
            continue
        found += [(name, "lines", len(a), len(b))] if len(a) != len(b) else []
        found += [(name, i, key, x.get(key), y.get(key)) for i, (x, y) in enumerate(zip(a, b))
                  for key in sorted(set(x) | set(y)) if x.get(key) != y.get(key)]
    return found


def _files(run) -> dict[str, object]:
    """Every file an evaluation writes, parsed, wall times left out."""
    files = {}
    for path in sorted(run.glob("*.json*")):
        text = path.read_text()
        data = [json.loads(line) for line in text.splitlines()] if path.suffix == ".jsonl" else json.loads(text)
        files[path.name] = [{k: v for k, v in r.items() if k not in TIMINGS} for r in data] \
            if isinstance(data, list) else data
    return files


def _on_ray(dataset, reasoner, tmp_path, monkeypatch, workers: int, stop_after: int = 0) -> RayAnswers:
    """Evaluate on Ray; with ``stop_after``, a first run stops after that many items and a
    second one resumes it."""
    monkeypatch.setenv("AUDIOROUTER_CACHE", str(tmp_path / "cache"))  # the workers' own cache
    answers, items, routers = RayAnswers(reasoner, "local", workers), load_items(dataset), make_routers(ROUTERS)
    if stop_after:
        evaluate(items[:stop_after], routers, reasoner, tmp_path / "run", answers=answers)
    evaluate(items, routers, reasoner, tmp_path / "run", answers=answers)
    return answers


def test_an_evaluation_on_two_workers_resumed_writes_what_one_here_writes(ray, dataset, small_reasoner, here,
                                                                          tmp_path, monkeypatch):
    answers = _on_ray(dataset, small_reasoner, tmp_path, monkeypatch, workers=2, stop_after=2)
    assert len(set(answers.pids())) == 2 and os.getpid() not in answers.pids()
    assert set(answers.stage_s) == {"tools", "reason"}
    answers.close()
    files = _files(tmp_path / "run")
    assert len(files["predictions-all.jsonl"]) == 3
    assert _differences(files, here) == []


class DiesOnce:
    """The real reasoner in a process that is killed the first time it answers anything."""

    def __init__(self, reasoner, marker):
        self.reasoner, self.marker, self.name = reasoner, marker, reasoner.name

    def answer(self, clip, question, choices, evidence):
        if not self.marker.exists():
            self.marker.write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)
        return self.reasoner.answer(clip, question, choices, evidence)


def test_a_worker_killed_while_answering_is_restarted_and_its_item_redone(ray, dataset, small_reasoner,
                                                                         here, tmp_path, monkeypatch):
    marker = tmp_path / "killed-pid"
    answers = _on_ray(dataset, DiesOnce(small_reasoner, marker), tmp_path, monkeypatch, workers=1)
    assert marker.exists() and answers.pids() != [int(marker.read_text())]
    answers.close()
    files = _files(tmp_path / "run")
    assert not any(r["error"] for r in files["predictions-all.jsonl"])
    assert _differences(files, here) == []


def _eval_app():
    """`audiorouter eval` as the CLI mounts it (a second command, so "eval" is named)."""
    import typer

    from audiorouter.evals.eval_cli import eval_command

    app = typer.Typer()
    app.command("eval")(eval_command)
    app.command("other")(lambda: None)
    return app


def test_the_eval_command_answers_on_ray(ray, dataset, here, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    monkeypatch.setenv("AUDIOROUTER_CACHE", str(tmp_path / "cache"))
    result = CliRunner().invoke(_eval_app(), [
        "eval", "--dataset", str(dataset), "--routers", ",".join([*ROUTERS, "oracle"]),
        "--reasoner", "smollm2-135m-instruct", "--out", str(tmp_path / "run"), "--ray", "local", "--ray-workers", "1"])
    assert result.exit_code == 0, result.output
    predictions = {k: v for k, v in _files(tmp_path / "run").items() if k.startswith("predictions-")}
    assert _differences(predictions, {k: v for k, v in here.items() if k.startswith("predictions-")}) == []


def test_without_ray_the_eval_flag_says_how_to_get_it(dataset, tmp_path, without_ray):
    from typer.testing import CliRunner

    result = CliRunner().invoke(_eval_app(), ["eval", "--dataset", str(dataset), "--routers", "none",
                                              "--out", str(tmp_path / "run"), "--ray", "local"])
    assert result.exit_code == 2 and "pip install 'audiorouter[ray]'" in result.output
    assert not (tmp_path / "run" / "predictions-none.jsonl").exists()
