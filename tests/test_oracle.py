"""The oracle as a scorer over answered routes: its candidates, its pick, its scores."""

from audiorouter.agent.reasoners.answer import Answer
from audiorouter.data.items import Item
from audiorouter.evals.oracle import ORACLE, join_oracle, oracle_record, oracle_routes
from audiorouter.evals.records import route_key
from audiorouter.tools import ToolOutput, tool_names


def _item(tmp_path) -> Item:
    return Item(id="q0", audio_id="a.wav", audio_file=tmp_path / "a.wav", question="How many?",
                choices=["1", "2"], answer="2", task="sound")


def test_the_candidates_are_no_tools_each_tool_and_all():
    routes = oracle_routes()
    assert [r.tools for r in routes] == [[], *([t] for t in tool_names()), tool_names()]
    assert {r.router for r in routes} == {ORACLE}


def test_the_pick_is_the_right_answer_and_its_cost_is_every_route(tmp_path):
    none, single, *_ = oracle_routes()
    candidates = {route_key(none): none, route_key(single): single}
    answers = {route_key(none): Answer(text="1", choice=0, probabilities=[0.9, 0.1], seconds=1.0),
               route_key(single): Answer(text="2", choice=1, probabilities=[0.2, 0.8], seconds=2.0)}
    evidence = {c: ToolOutput(tool=c[0], summary="", seconds=0.5) for c in route_key(single)}
    record = oracle_record(_item(tmp_path), candidates, answers, evidence)
    assert record["router"] == ORACLE and record["tools_used"] == single.tools and record["correct"]
    assert record["seconds"] == {"route": 0.0, "tools": 0.5, "reason": 3.0}
    assert record["route_scores"] == {"none": {"correct": False, "p": 0.1},
                                      single.tools[0]: {"correct": True, "p": 0.8}}
    assert join_oracle(_item(tmp_path), record, [None]) is record  # nothing new: unchanged


def test_a_failed_item_has_nothing_to_join(tmp_path):
    failed = {"id": "q0", "error": "no audio"}
    assert join_oracle(_item(tmp_path), failed, [{"calls": [], "error": None}]) is failed
