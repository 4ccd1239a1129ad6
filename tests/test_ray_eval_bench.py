import json

import pytest

from audiorouter.evals import render
from audiorouter.evals.benchmarks import ray_eval
from audiorouter.evals.benchmarks.record import cpu_count
from test_runner_eval import _knock_dataset

pytestmark = pytest.mark.slow


def test_the_ray_eval_benchmark_answers_the_same_items_here_and_on_workers(tmp_path):
    pytest.importorskip("ray")
    dataset = _knock_dataset(tmp_path, cpu_count() + 1)  # a warm-up item per worker, one measured
    outcome = ray_eval.command(dataset=dataset, items=1, routers="none", reasoner="smollm2-135m-instruct",
                               results=tmp_path / "results")
    many = f"ray-{cpu_count()}"
    assert outcome["items"] == 1 and set(outcome["items_per_s"]) == {"local", "ray-1", many}
    assert outcome["vs_local"]["local"] == 1.0 and all(v > 0 for v in outcome["items_per_s"].values())
    assert set(outcome["same_choices_as_local"]) == {"local", "ray-1", many}
    assert json.loads((tmp_path / "results" / "ray-eval.json").read_text()) == outcome
    page = tmp_path / "docs" / "benchmarks.md"
    page.parent.mkdir()
    page.write_text("# Benchmarks\n\n<!-- ray-eval-benchmark:start -->\nstale\n<!-- ray-eval-benchmark:end -->\n")
    render.render_pages(tmp_path / "results", page.parent)
    text = page.read_text()
    assert "stale" not in text and f"| Ray, {cpu_count()} workers x 1 core |" in text
    assert "audiorouter benchmark ray-eval" in text
