import struct

import pytest

from audiorouter.evals.report import write_report
from audiorouter.evals.runner import Evaluation


def _records(router: str, right: int, n: int = 6, tools: int = 0) -> list[dict]:
    return [{"id": f"q{i}", "router": router, "choices": ["1 2", "2 1"] if i == 0 else ["a", "b"], "task": "sound" if i % 2 else "music",
             "sub-category": "event count" if i % 3 else None, "category": "counting",
             "correct": i < right, "tools_used": ["audio_info"] * tools, "error": None,
             "seconds": {"route": 0.01, "tools": 0.5 * tools, "reason": 2.0}} for i in range(n)]


def _png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and data.endswith(b"IEND\xaeB`\x82")
    return struct.unpack(">II", data[16:24])


@pytest.fixture
def evaluation() -> Evaluation:
    none = [{**r, "answer": r["choices"][0], "choice": 0 if r["correct"] else 1,
             "probabilities": [0.8, 0.2] if r["correct"] else [0.2, 0.8]} for r in _records("none", 2)]
    return Evaluation(records={"none": none, "all": _records("all", 4, tools=10),
                               "oracle": _records("oracle", 5, tools=1), "llm": []},
                      wall_s=12.5, stage_s={"route": 1.0, "tools": 3.0, "reason": 8.0}, answered=6)


def test_report_tables_and_valid_pngs(tmp_path, evaluation):
    page = write_report(evaluation, tmp_path, setup={"reasoner": "fake"})
    text = page.read_text()
    assert "- items with two options of the same words: 1 (" in text
    assert "- reasoner: fake" in text and "wall time of this run: 12.5 s" in text
    assert "| all | 66.7 [30, 90] | 6 | – | – | – | 10.00 | 0.01 | 5.00 | 2.00 | 2.00 | 0 | 67% |" in text  # (4 - 2) / (5 - 2)
    assert "| none | 33.3 [10, 70] | 6 | 0.400 | 0% | 0.467 | 0.00 | 0.01 | 0.00 | 2.00 | 2.00 | 0 | |" in text
    assert "llm" not in text  # a router without records is left out
    assert "## Per task" in text and "| music | 3 |" in text
    assert "| counting | 2 |" in text and "| event count | 4 |" in text  # category where no sub-category
    for name in ("accuracy_by_skill.png", "accuracy_vs_tools.png"):
        width, height = _png_size(tmp_path / name)
        assert width > 300 and height > 200


def test_the_report_can_also_land_in_a_docs_page_between_markers(tmp_path, evaluation):
    from audiorouter.evals.report import PAGE_MARKS

    docs = tmp_path / "docs" / "results.md"
    docs.parent.mkdir()
    docs.write_text("# Results\n\nprose stays\n")
    for _ in range(2):  # rewriting replaces the block instead of adding another
        write_report(evaluation, tmp_path / "out", setup={"reasoner": "fake"}, docs_page=docs)
    text = docs.read_text()
    assert text.startswith("# Results\n\nprose stays") and text.count(PAGE_MARKS[0]) == 1
    assert "### Overall" in text and "![accuracy per skill](results_accuracy_by_skill.png)" in text
    assert _png_size(docs.parent / "results_accuracy_by_skill.png")[0] > 100
    assert _png_size(docs.parent / "results_accuracy_vs_tools.png")[0] > 100


def test_the_oracle_gain_needs_none_and_the_oracle_on_the_same_items(tmp_path, evaluation):
    records = dict(evaluation.records, oracle=evaluation.records["oracle"][:3])
    text = write_report(Evaluation(records, 1.0, {}, 0), tmp_path).read_text()
    assert "oracle gain recovered" not in text and "| all | 66.7 [30, 90] | 6 | – | – | – | 10.00 | 0.01 | 5.00 | 2.00 | 2.00 | 0 |\n" in text
    tie = dict(evaluation.records, oracle=_records("oracle", 2, tools=1))  # the oracle gains nothing
    assert "| all | 66.7 [30, 90] | 6 | – | – | – | 10.00 | 0.01 | 5.00 | 2.00 | 2.00 | 0 | – |" in write_report(
        Evaluation(tie, 1.0, {}, 0), tmp_path).read_text()
