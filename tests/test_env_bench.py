import json

import pytest

from audiorouter.evals.benchmarks import env as env_bench

pytestmark = pytest.mark.slow


def test_the_env_benchmark_replays_the_same_steps_cold_and_warm(tmp_path):
    from audiorouter.evals.bench import build_benchmark

    data = build_benchmark(tmp_path / "bench", 1, seed=2, splits=("dev",), fractions={"dev": 1},
                           skills=["tempo", "loudness_order"], progress=False)["dev"]
    docs = tmp_path / "benchmarks.md"
    docs.write_text("# Benchmarks\n\nkept\n")
    results = env_bench.main(["--dataset", str(data), "--items", "2", "--routes", "2",
                              "--reasoner", "smollm2-135m-instruct", "--out", str(tmp_path / "env.json"),
                              "--docs", str(docs)])
    assert results["steps"] == 4 and json.loads((tmp_path / "env.json").read_text()) == results
    assert all(v > 0 for v in results["steps_per_s"].values())
    page = docs.read_text()
    assert "kept" in page and page.count(env_bench.MARKS[0]) == 1 and "steps / s" in page
