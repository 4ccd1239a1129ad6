import json

import pytest

from audiorouter.evals import render
from audiorouter.evals.benchmarks import ray as ray_bench

pytestmark = pytest.mark.slow


def test_the_ray_benchmark_compares_the_same_steps_here_and_on_workers(train_bench, tmp_path):
    pytest.importorskip("ray")
    outcome = ray_bench.command(dataset=train_bench["train"], items=2, routes=1, seed=0,
                                reasoner="smollm2-135m-instruct", results=tmp_path)
    assert outcome["steps"] == 2 and set(outcome["warm_steps_per_s"]) == {"local", "ray-1", "ray-2"}
    assert outcome["vs_local"]["local"] == 1.0 and all(v > 0 for v in outcome["warm_steps_per_s"].values())
    saved = json.loads((tmp_path / "ray.json").read_text())
    assert saved == outcome
    page = tmp_path / "docs" / "benchmarks.md"
    page.parent.mkdir()
    page.write_text("# Benchmarks\n\n<!-- ray-benchmark:start -->\nstale table\n<!-- ray-benchmark:end -->\n")
    render.render_pages(tmp_path, page.parent)
    text = page.read_text()
    assert "stale table" not in text and "| Ray, 2 workers |" in text and "audiorouter benchmark ray" in text
