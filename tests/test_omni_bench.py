import json

from audiorouter.evals.benchmarks import omni as omni_bench
from audiorouter.evals.render import render_pages


def test_times_the_omni_reasoner_by_clip_length_with_and_without_evidence(tmp_path):
    evidence = tmp_path / "evidence.json"
    evidence.write_text(json.dumps([{"tool": "count_events", "summary": "3 events at 2.1, 2.6, 3.1 s"},
                                    {"tool": "analyze_rhythm", "summary": "96.0 BPM, steady"}]))
    page = tmp_path / "docs" / "benchmarks.md"
    page.parent.mkdir()
    page.write_text("# Benchmarks\n\nkept\n")
    results = omni_bench.command(size="tiny", device="cpu", seconds=[1, 4], repeats=1,
                                 evidence=evidence, results=tmp_path / "results")
    one, four = results["rows"]
    # Qwen2.5-Omni's encoder keeps 25 audio tokens per second of sound
    assert [one["no_tools"]["audio_tokens"], four["no_tools"]["audio_tokens"]] == [25, 100]
    assert four["all_tools"]["audio_tokens"] == 100
    for row in results["rows"]:
        assert row["all_tools"]["prompt_tokens"] > row["no_tools"]["prompt_tokens"]
        assert row["no_tools"]["seconds"] > 0 and row["no_tools"]["prepare_seconds"] > 0
    assert results["evidence_tools"] == 2 and results["peak_gpu_gb"] is None
    assert json.loads((tmp_path / "results" / "omni.json").read_text()) == results
    assert render_pages(tmp_path / "results", tmp_path / "docs")["written"] == ["omni-benchmark"]
    text = page.read_text()
    assert "kept" in text and text.count("<!-- omni-benchmark:start -->") == 1 and "| 4 s | 100 |" in text
