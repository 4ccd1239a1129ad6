"""Routes as keys (one answer per distinct route, in prompt order) and answered routes as records."""

import json

from audiorouter.agent.reasoners.answer import Answer
from audiorouter.agent.routers.routing import Route, ToolCall
from audiorouter.data.items import Item
from audiorouter.evals.records import failed_record, prefix_order, record_key, route_key, route_record
from audiorouter.tools import ToolOutput, tool_names


def _item(tmp_path) -> Item:
    return Item(id="q0", audio_id="a.wav", audio_file=tmp_path / "a.wav", question="How many?",
                choices=["1", "2"], answer="2", task="sound")


def test_a_call_with_its_default_arguments_spelled_out_is_the_same_route():
    first = tool_names()[0]
    defaults = route_key(Route(calls=[ToolCall(name=first)]))
    assert route_key(Route(calls=[ToolCall(name=first, args=json.loads(defaults[0][1]))])) == defaults


def test_routes_sort_in_the_prompts_tool_order():
    later, earlier = tool_names()[-1], tool_names()[0]
    keys = [route_key(Route.of([later])), route_key(Route.of([earlier, later])), route_key(Route.of([earlier]))]
    assert sorted(keys, key=prefix_order) == [keys[2], keys[1], keys[0]]


def test_a_record_scores_the_answer_and_keeps_the_route(tmp_path):
    route = Route.of([tool_names()[0]], router="fixed")
    evidence = {c: ToolOutput(tool=c[0], summary="", seconds=0.25) for c in route_key(route)}
    record = route_record(_item(tmp_path), "fixed", route, Answer(text="2", choice=1, seconds=1.5), evidence, 0.1)
    assert record["correct"] and record["tools_used"] == route.tools
    assert record["seconds"] == {"route": 0.1, "tools": 0.25, "reason": 1.5}
    assert record_key(record) == route_key(route)
    failed = failed_record(_item(tmp_path), "fixed", OSError("no audio"))
    assert not failed["correct"] and failed["error"] == "OSError: no audio" and failed["tools_used"] == []
