import json
import time

import numpy as np
import pytest
import soundfile as sf

from audiorouter.agent.reasoners.answer import Answer
from audiorouter.agent.routers.routing import AllToolsRouter, FixedRouter, NoToolsRouter, RandomRouter
from audiorouter.evals.oracle import ORACLE
from audiorouter.evals.runner import evaluate
from audiorouter.evals.task import make_routers
from audiorouter.data import synth
from audiorouter.evals import schedule
from audiorouter.data.items import Item, load_items
from audiorouter.evals.scoring import accuracy, rescore
from audiorouter.tools import AudioRouterError, ToolOutput, tool_names
from conftest import sine

PAIR = ["transcribe", "count_events"]  # not among the oracle's fixed candidates
OTHER_PAIR = ["detect_speech", "tag_sounds"]  # as long as PAIR, later in prompt order


def _items(root, n: int) -> list[Item]:
    items = []
    for i in range(n):
        path = root / f"{i}.wav"
        if not path.exists():
            sf.write(path, sine(200 + 50 * i, 0.5), 16_000)
        items.append(Item(id=f"q{i}", audio_id=f"{i}.wav", audio_file=path, question=f"How many knocks? #{i}",
                          choices=["1", "2", "3", "4"], answer=str(1 + i % 4), task="sound",
                          category="counting", **{"sub-category": "event count"}))
    return items


class FakeReasoner:
    """Right exactly when the evidence is one of the routes ``right_with``; logs every call."""

    name = "fake"

    def __init__(self, right_with=(PAIR,), fail_on=(), log=None):
        self.right_with, self.fail_on = [set(route) for route in right_with], set(fail_on)
        self.calls: list[tuple[str, tuple[str, ...]]] = []
        self.log = log if log is not None else []

    def answer(self, clip, question, choices, evidence):
        tools = tuple(e.tool for e in evidence)
        self.calls.append((question, tools))
        self.log.append("answer")
        if question in self.fail_on:
            raise RuntimeError("model fell over")
        right = choices.index(str(1 + int(question.rsplit("#", 1)[1]) % 4))
        k = right if set(tools) in self.right_with else (right + 1 + len(tools) % 3) % len(choices)
        p = np.full(len(choices), 0.1)
        p[right] += 0.01 * len(tools)  # more evidence, more belief in the truth
        p[k] += 0.5
        return Answer(text=choices[k], choice=k, probabilities=(p / p.sum()).tolist())


@pytest.fixture
def tool_batches(monkeypatch):
    """Tools replaced by instant fakes; returns the batches run (clip id, tool names)."""
    batches = []

    def run_tools(clip, named, **kwargs):
        batches.append((clip.id, tuple(named)))
        return [ToolOutput(tool=n, summary=f"{n} measured", seconds=0.25) for n in named]

    monkeypatch.setattr(schedule, "run_tools", run_tools)
    return batches


def _lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _routers():
    return {"none": NoToolsRouter(), "all": AllToolsRouter(), "random": RandomRouter(seed=1),
            "pair": FixedRouter(PAIR, name="pair")}


def test_predictions_scored_by_the_mmau_rule_give_the_harness_accuracy(tmp_path, tool_batches):
    result = evaluate(_items(tmp_path, 6), _routers(), FakeReasoner(), tmp_path / "out")
    assert set(result.records) == {"none", "all", "random", "pair", ORACLE}
    for name, records in result.records.items():
        exported = json.loads((tmp_path / "out" / f"predictions-{name}.json").read_text())
        assert rescore(exported) == rescore(_lines(tmp_path / "out" / f"predictions-{name}.jsonl"))
        assert rescore(exported) == accuracy(records)
        assert all(r["model_output"] == r["model_prediction"] for r in exported)
    assert accuracy(result.records["pair"]).value == 1.0 and accuracy(result.records["none"]).value < 1.0


def test_record_fields(tmp_path, tool_batches):
    result = evaluate(_items(tmp_path, 1), {"pair": FixedRouter(PAIR, name="pair")}, FakeReasoner(),
                      tmp_path / "out", oracle=False)
    [record] = result.records["pair"]
    assert record["id"] == "q0" and record["sub-category"] == "event count" and record["audio_id"] == "0.wav"
    assert record["tools_used"] == PAIR and record["correct"] is True and record["error"] is None
    assert record["model_output"] == "1" and len(record["probabilities"]) == 4
    assert record["seconds"]["tools"] == 0.5 and set(record["seconds"]) == {"route", "tools", "reason"}


def test_rerun_answers_only_new_items(tmp_path, tool_batches):
    out = tmp_path / "out"
    evaluate(_items(tmp_path, 3), _routers(), FakeReasoner(), out)
    before = {p.name: len(_lines(p)) for p in out.glob("*.jsonl")}
    reasoner = FakeReasoner()
    result = evaluate(_items(tmp_path, 5), _routers(), reasoner, out)
    after = {p.name: len(_lines(p)) for p in out.glob("*.jsonl")}
    assert {name: after[name] - before[name] for name in after if name.startswith("predictions")} == {
        f"predictions-{n}.jsonl": 2 for n in [*_routers(), ORACLE]}
    assert after["routes.jsonl"] - before["routes.jsonl"] == 2 * len(_routers())
    assert {q for q, _ in reasoner.calls} == {"How many knocks? #3", "How many knocks? #4"}
    assert result.answered == 2 and all(len(r) == 5 for r in result.records.values())
    assert evaluate(_items(tmp_path, 5), _routers(), FakeReasoner(), out).answered == 0


def test_a_torn_last_line_is_dropped_and_the_item_redone(tmp_path, tool_batches):
    out = tmp_path / "out"
    evaluate(_items(tmp_path, 2), {"none": NoToolsRouter()}, FakeReasoner(), out, oracle=False)
    log = out / "predictions-none.jsonl"
    log.write_text(log.read_text()[:-40])  # killed in the middle of writing the second line
    result = evaluate(_items(tmp_path, 2), {"none": NoToolsRouter()}, FakeReasoner(), out, oracle=False)
    assert [r["id"] for r in _lines(log)] == ["q0", "q1"] and result.answered == 1


def test_failing_items_are_recorded_and_retried_not_fatal(tmp_path, tool_batches):
    items = _items(tmp_path, 4)
    items[1].audio_file = tmp_path / "missing.wav"
    reasoner = FakeReasoner(fail_on={"How many knocks? #2"})
    result = evaluate(items, {"pair": FixedRouter(PAIR, name="pair")}, reasoner, tmp_path / "out")
    pair = {r["id"]: r for r in result.records["pair"]}
    assert "AudioNotFoundError" in pair["q1"]["error"] and pair["q1"]["model_output"] == ""
    assert "model fell over" in pair["q2"]["error"] and pair["q2"]["correct"] is False
    assert pair["q0"]["correct"] and pair["q3"]["correct"] and pair["q3"]["error"] is None
    assert "AudioNotFoundError" in result.records[ORACLE][1]["error"]
    items[1].audio_file = tmp_path / "1.wav"  # fixed: a rerun retries only the failed items
    retry = FakeReasoner()
    result = evaluate(items, {"pair": FixedRouter(PAIR, name="pair")}, retry, tmp_path / "out")
    assert {q for q, _ in retry.calls} == {"How many knocks? #1", "How many knocks? #2"}
    assert accuracy(result.records["pair"]).value == 1.0


def test_resuming_into_a_folder_of_another_setup_is_refused(tmp_path, tool_batches):
    out = tmp_path / "out"
    evaluate(_items(tmp_path, 1), {"none": NoToolsRouter()}, FakeReasoner(), out, setup={"seed": "1"})
    evaluate(_items(tmp_path, 1), {"all": AllToolsRouter()}, FakeReasoner(), out, setup={"seed": "1"})  # a router added
    with pytest.raises(AudioRouterError, match="another setup"):
        evaluate(_items(tmp_path, 1), {"none": NoToolsRouter()}, FakeReasoner(), out, setup={"seed": "2"})
    reasoner = FakeReasoner()
    reasoner.name = "other"
    with pytest.raises(AudioRouterError, match="another setup"):
        evaluate(_items(tmp_path, 1), {"none": NoToolsRouter()}, reasoner, out)


def test_a_failing_router_means_no_tools(tmp_path, tool_batches):
    class Broken:
        name = "broken"

        def decide(self, question, choices, clip):
            raise RuntimeError("no idea")

    result = evaluate(_items(tmp_path, 1), {"broken": Broken()}, FakeReasoner(), tmp_path / "out", oracle=False)
    [record] = result.records["broken"]
    assert record["tools_used"] == [] and "router failed" in record["note"] and record["error"] is None


def test_oracle_bounds_every_router_on_every_item(tmp_path, tool_batches):
    result = evaluate(_items(tmp_path, 6), _routers(), FakeReasoner(), tmp_path / "out")
    oracle = result.records[ORACLE]
    for name, records in result.records.items():
        assert all(o["correct"] >= r["correct"] for o, r in zip(oracle, records)), name
    # the pair route is no fixed candidate: the oracle found it through the "pair" router
    assert all(o["correct"] and o["tools_used"] == PAIR for o in oracle)
    scores = oracle[0]["route_scores"]
    assert {"none", "all", "transcribe", "transcribe+count_events"} <= set(scores)
    assert scores["transcribe+count_events"]["correct"] and not scores["none"]["correct"]
    assert oracle[0]["seconds"]["tools"] == 0.25 * len(tool_names())


def test_a_router_added_later_is_still_bounded_by_the_oracle(tmp_path, tool_batches):
    out, items = tmp_path / "out", _items(tmp_path, 2)
    first = evaluate(items, {"none": NoToolsRouter()}, FakeReasoner(), out)
    assert not any(r["correct"] for r in first.records[ORACLE])  # the pair route was never tried

    class Slow(FakeReasoner):  # takes measurable time, which the oracle's cost must gain
        def answer(self, *args):
            time.sleep(0.01)
            return super().answer(*args)

    reasoner = Slow()
    result = evaluate(items, {"none": NoToolsRouter(), "pair": FixedRouter(PAIR, name="pair")}, reasoner, out)
    assert all(o["correct"] and o["tools_used"] == PAIR for o in result.records[ORACLE])
    assert all(r["correct"] for r in result.records["pair"]) and result.answered == 2
    # only the new route is answered: the earlier record's scores and cost carry over
    assert [set(t) for _, t in reasoner.calls] == [set(PAIR)] * 2
    for old, new, pair in zip(first.records[ORACLE], result.records[ORACLE], result.records["pair"]):
        p_right = round(pair["probabilities"][pair["choices"].index(pair["answer"])], 5)
        added = {"transcribe+count_events": {"correct": True, "p": p_right}}
        assert new["route_scores"] == {**old["route_scores"], **added}
        assert new["note"] == f"best of {len(tool_names()) + 3} routes"
        assert new["seconds"]["tools"] == old["seconds"]["tools"]
        assert pair["seconds"]["reason"] >= 0.01
        assert new["seconds"]["reason"] == round(old["seconds"]["reason"] + pair["seconds"]["reason"], 4)


def test_the_oracle_bounds_a_later_router_whose_answer_moved(tmp_path, tool_batches):
    out, items = tmp_path / "out", _items(tmp_path, 2)
    first = evaluate(items, {"none": NoToolsRouter()}, FakeReasoner(), out)
    assert all(not o["route_scores"]["transcribe"]["correct"] for o in first.records[ORACLE])
    # the same route answered again comes out otherwise (a rounding moved it): the router is right
    moved = FakeReasoner(right_with=(["transcribe"],))
    result = evaluate(items, {"none": NoToolsRouter(), "one": FixedRouter(["transcribe"], name="one")}, moved, out)
    assert [t for _, t in moved.calls] == [("transcribe",)] * 2  # nothing asked again for the oracle
    assert all(r["correct"] for r in result.records["one"])
    for oracle, one in zip(result.records[ORACLE], result.records["one"]):
        assert oracle["correct"] and oracle["tools_used"] == ["transcribe"] and oracle["router"] == ORACLE
        assert oracle["probabilities"] == one["probabilities"] and oracle["route_scores"]["transcribe"]["correct"]
    assert len(_lines(out / f"predictions-{ORACLE}.jsonl")) == 4
    assert evaluate(items, {"none": NoToolsRouter(), "one": FixedRouter(["transcribe"], name="one")},
                    FakeReasoner(), out).answered == 0
    assert len(_lines(out / f"predictions-{ORACLE}.jsonl")) == 4  # joined once, not again


def test_a_later_router_that_does_worse_or_fails_on_a_scored_route_leaves_the_oracle(tmp_path, tool_batches):
    out, items = tmp_path / "out", _items(tmp_path, 2)
    evaluate(items, {"none": NoToolsRouter()}, FakeReasoner(right_with=(["transcribe"],)), out)
    before = _lines(out / f"predictions-{ORACLE}.jsonl")
    routers = {"none": NoToolsRouter(), "one": FixedRouter(["transcribe"], name="one"),
               "pair": FixedRouter(PAIR, name="pair")}
    # the scored route comes out wrong this time, and every prompt of q1 fails
    result = evaluate(items, routers, FakeReasoner(right_with=(), fail_on={"How many knocks? #1"}), out)
    assert not result.records["one"][0]["correct"] and result.records["pair"][1]["error"]
    q0, q1 = result.records[ORACLE]
    scores = dict(q0["route_scores"])  # the new route is added, the scored one keeps its better answer
    assert not scores.pop("transcribe+count_events")["correct"] and scores == before[0]["route_scores"]
    assert q0["tools_used"] == ["transcribe"] and q0["correct"]  # its earlier, better answer stays
    assert q1 == before[1]  # failed answers join nothing
    assert len(_lines(out / f"predictions-{ORACLE}.jsonl")) == len(before) + 1


def test_an_oracle_that_failed_on_a_route_still_bounds_the_routers(tmp_path, tool_batches):
    class FailsOnAllTools(FakeReasoner):
        def answer(self, clip, question, choices, evidence):
            if len(evidence) == len(tool_names()):
                raise RuntimeError("prompt too long")
            return super().answer(clip, question, choices, evidence)

    out, items, routers = tmp_path / "out", _items(tmp_path, 1), {"one": FixedRouter(["transcribe"], name="one")}
    evaluate(items, routers, FailsOnAllTools(right_with=(["transcribe"],)), out)
    # the oracle is redone (it carries an error) and its transcribe answer moves; the router's stays
    result = evaluate(items, routers, FailsOnAllTools(right_with=()), out)
    oracle, one = result.records[ORACLE][0], result.records["one"][0]
    assert one["correct"] and oracle["correct"] and oracle["tools_used"] == ["transcribe"]
    assert "prompt too long" in oracle["error"]  # still to be retried


@pytest.mark.parametrize("passes", [
    [["pair", "other", "wrong"]],
    [["pair"], ["pair", "other", "wrong"]],  # the earlier best keeps a tie and beats a worse route
    [["other", "wrong"], ["pair", "other", "wrong"]],  # a tying route earlier in prompt order wins
    [["wrong"], ["wrong", "other"], ["pair", "other", "wrong"]],
])
def test_an_oracle_extended_by_later_routers_is_the_oracle_of_one_pass(tmp_path, tool_batches, passes):
    routers = {"pair": FixedRouter(PAIR, name="pair"), "other": FixedRouter(OTHER_PAIR, name="other"),
               "wrong": FixedRouter(["transcribe", "tag_sounds", "audio_info"], name="wrong")}
    items, reasoner = _items(tmp_path, 3), FakeReasoner(right_with=(PAIR, OTHER_PAIR))
    for names in passes:
        result = evaluate(items, {n: routers[n] for n in names}, reasoner, tmp_path / "out")
    kept = ("tools_used", "calls", "choice", "probabilities", "correct", "note", "route_scores")
    oracle = [{k: r[k] for k in kept} | {"tools_s": r["seconds"]["tools"]} for r in result.records[ORACLE]]
    assert all(r["tools_used"] == PAIR and r["correct"] for r in oracle)
    assert all(len(r["route_scores"]) == len(tool_names()) + 5 for r in oracle)
    single = evaluate(items, routers, FakeReasoner(right_with=(PAIR, OTHER_PAIR)), tmp_path / "single")
    assert oracle == [{k: r[k] for k in kept} | {"tools_s": r["seconds"]["tools"]} for r in single.records[ORACLE]]
    assert len(reasoner.calls) == len(single.records[ORACLE]) * (len(tool_names()) + 5)  # no route twice
    lines = len(_lines(tmp_path / "out" / f"predictions-{ORACLE}.jsonl"))
    assert evaluate(items, routers, reasoner, tmp_path / "out").answered == 0
    assert len(_lines(tmp_path / "out" / f"predictions-{ORACLE}.jsonl")) == lines  # joined once only


def test_a_router_whose_routes_the_oracle_tried_costs_only_its_own_records(tmp_path, tool_batches):
    out, items = tmp_path / "out", _items(tmp_path, 2)
    evaluate(items, {"none": NoToolsRouter()}, FakeReasoner(), out)
    oracle_lines = len(_lines(out / f"predictions-{ORACLE}.jsonl"))
    reasoner = FakeReasoner()
    result = evaluate(items, {"none": NoToolsRouter(), "one": FixedRouter(["transcribe"], name="one")},
                      reasoner, out)
    assert len(_lines(out / f"predictions-{ORACLE}.jsonl")) == oracle_lines  # a single tool is a candidate
    assert [t for _, t in reasoner.calls] == [("transcribe",)] * 2 and len(result.records["one"]) == 2


def test_new_work_on_a_finished_folder_costs_only_itself(tmp_path, tool_batches):
    out, items = tmp_path / "out", _items(tmp_path, 3)
    evaluate(items[:2], {"none": NoToolsRouter()}, FakeReasoner(), out)
    reasoner = FakeReasoner()
    evaluate(items, {"none": NoToolsRouter()}, reasoner, out)  # only the new item is asked
    assert {q for q, _ in reasoner.calls} == {"How many knocks? #2"}
    reasoner = FakeReasoner()
    result = evaluate(items, {"none": NoToolsRouter(), "one": FixedRouter(["transcribe"], name="one")},
                      reasoner, out)  # a new router: one answer per item, its own route's
    assert [t for _, t in reasoner.calls] == [("transcribe",)] * 3 and len(result.records["one"]) == 3
    assert evaluate(items, {"none": NoToolsRouter()}, FakeReasoner(), out).answered == 0


def test_oracle_prefers_correct_then_probable_then_fewer_tools(tmp_path, tool_batches):
    result = evaluate(_items(tmp_path, 2), {}, FakeReasoner(right_with=([],)), tmp_path / "out")
    assert all(r["correct"] and r["tools_used"] == [] for r in result.records[ORACLE])
    result = evaluate(_items(tmp_path, 2), {}, FakeReasoner(right_with=()), tmp_path / "out2")
    # nothing is right: the route most confident in the truth wins (the fake's: all tools)
    assert all(not r["correct"] and len(r["tools_used"]) == len(tool_names()) for r in result.records[ORACLE])


def test_each_distinct_route_is_answered_once_in_prefix_order(tmp_path, tool_batches):
    reasoner = FakeReasoner()
    routers = {"none": NoToolsRouter(), "all": AllToolsRouter(), "one": FixedRouter(["transcribe"], name="one")}
    evaluate(_items(tmp_path, 2), routers, reasoner, tmp_path / "out")
    names = tool_names()
    expected = [(), (names[0],), tuple(names), *((n,) for n in names[1:])]  # trie (DFS) order
    assert [t for q, t in reasoner.calls] == expected * 2
    assert [q for q, _ in reasoner.calls] == ["How many knocks? #0"] * 12 + ["How many knocks? #1"] * 12
    assert len(tool_batches) == 2 and all(len(b) == len(names) for _, b in tool_batches)


def test_routes_are_decided_a_chunk_ahead_of_the_answers(tmp_path, tool_batches, monkeypatch):
    from audiorouter.evals import schedule

    monkeypatch.setattr(schedule, "ROUTE_AHEAD", 2)
    log = []

    class Logging(NoToolsRouter):
        def decide(self, question, choices, clip):
            log.append("route")
            return super().decide(question, choices, clip)

    evaluate(_items(tmp_path, 3), {"logging": Logging()}, FakeReasoner(log=log), tmp_path / "out", oracle=False)
    assert log == ["route"] * 2 + ["answer"] * 2 + ["route", "answer"]


def _knock_dataset(root, n: int):
    """``n`` real drum-hit clips asking how many knocks, as an MMAU-format JSON file."""
    rng = np.random.default_rng(11)
    (root / "audio").mkdir()
    items = []
    for i in range(n):
        count = int(rng.integers(2, 6))
        audio, _ = synth.hits(count, rng=rng)
        synth.write_wav(root / "audio" / f"k{i}.wav", audio)
        choices = [str(c) for c in range(2, 6)]
        items.append({"id": f"k{i}", "audio_id": f"./audio/k{i}.wav", "question": "How many knocks are heard?",
                      "choices": choices, "answer": str(count), "task": "sound", "category": "Counting",
                      "sub-category": "event count", "difficulty": "easy"})
    path = root / "knocks.json"
    path.write_text(json.dumps(items))
    return path


@pytest.mark.slow
def test_real_reasoner_and_tools_end_to_end_and_resumed(tmp_path, small_reasoner):
    from audiorouter.evals.report import write_report
    from audiorouter.tools.models import SMOLLM2_135M

    path = _knock_dataset(tmp_path, 5)
    routers = make_routers(["none", "all", "random", "llm"], llm=SMOLLM2_135M)
    out = tmp_path / "out"
    evaluate(load_items(path)[:3], routers, small_reasoner, out)
    result = evaluate(load_items(path), routers, small_reasoner, out)
    assert result.answered == 2
    for name, records in result.records.items():
        assert len(records) == 5 and len(_lines(out / f"predictions-{name}.jsonl")) == 5
        assert all(r["error"] is None and len(r["probabilities"]) == 4 for r in records), name
        assert rescore(json.loads((out / f"predictions-{name}.json").read_text())) == accuracy(records)
        assert all(o["correct"] >= r["correct"] for o, r in zip(result.records[ORACLE], records))
    page = write_report(result, out)
    assert "| oracle |" in page.read_text()
    assert (out / "accuracy_by_skill.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_eval_command(tmp_path):
    import typer
    from typer.testing import CliRunner

    from audiorouter.evals.eval_cli import eval_command
    from audiorouter.tools.registry import tool_versions

    app = typer.Typer()
    app.command("eval")(eval_command)
    app.command("other")(lambda: None)  # two commands, so "eval" is named as in the real app
    path = _knock_dataset(tmp_path, 3)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["eval", "--dataset", str(path), "--routers", "none,random,oracle",
                                      "--reasoner", "smollm2-135m-instruct", "--out", str(out), "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert "oracle" in result.output and (out / "report.md").exists()
    assert len(_lines(out / "predictions-random.jsonl")) == 2
    assert f"- tools: {tool_versions()}" in (out / "report.md").read_text()
    setup = out / "setup.json"  # results made by other tool versions are not resumed into
    setup.write_text(json.dumps({**json.loads(setup.read_text()), "tools": "transcribe 0"}))
    clash = CliRunner().invoke(app, ["eval", "--dataset", str(path), "--routers", "none",
                                     "--reasoner", "smollm2-135m-instruct", "--out", str(out)])
    assert clash.exit_code == 2 and "another setup" in clash.output
    missing = CliRunner().invoke(app, ["eval", "--dataset", str(tmp_path / "none.json"), "--out", str(out)])
    assert missing.exit_code == 2 and "no dataset file" in missing.output


@pytest.mark.slow
def test_eval_command_runs_the_shipped_router_and_names_its_file(tmp_path):
    import typer
    from typer.testing import CliRunner

    from audiorouter.agent.routers.learned import DEFAULT_CHECKPOINT
    from audiorouter.evals.eval_cli import DEFAULT_ROUTERS, eval_command

    assert "learned" in DEFAULT_ROUTERS.split(",")
    app = typer.Typer()
    app.command("eval")(eval_command)
    app.command("other")(lambda: None)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["eval", "--dataset", str(_knock_dataset(tmp_path, 1)),
                                      "--routers", "learned", "--reasoner", "smollm2-135m-instruct",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(_lines(out / "predictions-learned.jsonl")) == 1
    assert f"- learned checkpoint: {DEFAULT_CHECKPOINT} (sha256 " in (out / "report.md").read_text()
