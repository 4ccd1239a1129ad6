import json

import pytest

from audiorouter.evals.benchmarks import env as env_bench
from audiorouter.evals.render import render_pages

pytestmark = pytest.mark.slow


def test_the_env_benchmark_replays_the_same_steps_cold_and_warm(tmp_path):
    from audiorouter.data import build_benchmark

    data = build_benchmark(tmp_path / "bench", 1, seed=2, splits=("dev",), fractions={"dev": 1},
                           skills=["tempo", "loudness_order"], progress=False)["dev"]
    docs = tmp_path / "docs" / "benchmarks.md"
    docs.parent.mkdir()
    docs.write_text("# Benchmarks\n\nkept\n")
    results = env_bench.command(dataset=data, items=2, routes=2, seed=0, reasoner="smollm2-135m-instruct",
                                results=tmp_path / "results")
    assert results["steps"] == 4 and json.loads((tmp_path / "results" / "env.json").read_text()) == results
    render_pages(tmp_path / "results", docs.parent)
    assert all(v > 0 for v in results["steps_per_s"].values())
    page = docs.read_text()
    assert "kept" in page and page.count("<!-- env-benchmark:start -->") == 1 and "steps / s" in page
