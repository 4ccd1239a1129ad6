import json

import pytest
import typer

from audiorouter.evals.benchmarks import free_form as free_form_bench
from audiorouter.evals.benchmarks import reasoner as reasoner_bench
from audiorouter.evals.render import render_pages

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dev_items(tmp_path_factory):
    from audiorouter.data import build_benchmark

    out = tmp_path_factory.mktemp("bench")
    return build_benchmark(out, 1, seed=2, splits=("dev",), fractions={"dev": 1},
                           skills=["tempo", "loudness_order"], progress=False)["dev"]


def page(tmp_path):
    docs = tmp_path / "docs" / "benchmarks.md"
    docs.parent.mkdir()
    docs.write_text("# Benchmarks\n\nkept\n")
    return docs


def test_reasoner_variants_are_compared_on_the_same_items(tmp_path, dev_items):
    docs = page(tmp_path)
    variants = ["letters, cyclic rotations", "option text, worked examples, sum / √tokens (default)"]
    results = reasoner_bench.command(dataset=dev_items, per_skill=1, variants=variants, add=False,
                                     model="smollm2-135m-instruct", results=tmp_path / "results")
    render_pages(tmp_path / "results", docs.parent)
    assert results["items"] == 2 and list(results["variants"]) == variants
    for v in results["variants"].values():
        assert v["all"]["n"] == v["none"]["n"] == 2 and 0 <= v["all"]["p_right"] <= 1
        assert v["all"]["item_tokens"] > v["none"]["item_tokens"] > 0  # evidence adds tokens
    assert json.loads((tmp_path / "results" / "reasoner.json").read_text())["variants"].keys() == results["variants"].keys()
    text = docs.read_text()
    assert "kept" in text and text.count("<!-- reasoner-benchmark:start -->") == 1 and "| letters, cyclic rotations |" in text


def test_free_form_answers_are_scored_by_the_value_they_name(tmp_path, dev_items):
    docs = page(tmp_path)
    results = free_form_bench.command(dataset=dev_items, per_skill=1, model="smollm2-135m-instruct",
                                      results=tmp_path / "results")
    render_pages(tmp_path / "results", docs.parent)
    assert len(results["answers"]) == 2 and all(a["text"] for a in results["answers"])
    assert results["accuracy"] == sum(a["correct"] for a in results["answers"]) / 2
    assert sum(n for _, n in results["per_skill"].values()) == 2
    assert "<!-- free-form-benchmark:start -->" in docs.read_text()


def test_added_variants_join_the_earlier_run_and_are_named_on_the_page(tmp_path, dev_items):
    docs = page(tmp_path)
    first = ["option text", "option text, worked examples, sum"]
    reasoner_bench.command(dataset=dev_items, per_skill=1, variants=first, add=False,
                           model="smollm2-135m-instruct", results=tmp_path / "results")
    default = "option text, worked examples, sum / √tokens (default)"
    added = reasoner_bench.command(dataset=dev_items, per_skill=1, variants=[default], add=True,
                                   model="smollm2-135m-instruct", results=tmp_path / "results")
    assert list(added["variants"]) == [*first, default] and "added" in added["variants"][default]
    render_pages(tmp_path / "results", docs.parent)
    assert f'the rows "{default}" added by `audiorouter benchmark reasoner' in docs.read_text()
    with pytest.raises(typer.BadParameter, match="other model"):  # refused before anything runs
        reasoner_bench.command(dataset=dev_items, per_skill=1, variants=[default], add=True,
                               model="qwen2.5-coder-1.5b-instruct", results=tmp_path / "results")
