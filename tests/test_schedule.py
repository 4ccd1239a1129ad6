"""The schedule: routes decided once and logged, each distinct route answered once per item."""

import soundfile as sf

from audiorouter.agent.reasoners.answer import Answer
from audiorouter.agent.routers.routing import FixedRouter, NoToolsRouter
from audiorouter.data.items import Item
from audiorouter.evals import schedule
from audiorouter.evals.log import JsonlLog
from audiorouter.tools import ToolOutput, tool_names
from conftest import sine


class CountingReasoner:
    name = "counting"

    def __init__(self):
        self.asked: list[tuple[str, ...]] = []

    def answer(self, clip, question, choices, evidence):
        self.asked.append(tuple(e.tool for e in evidence))
        return Answer(text=choices[0], choice=0, probabilities=[1.0, 0.0])


def test_a_route_two_routers_chose_is_answered_once_and_decisions_are_logged_once(tmp_path, monkeypatch):
    monkeypatch.setattr(schedule, "run_tools", lambda clip, named, **kw: [
        ToolOutput(tool=n, summary="", seconds=0.1) for n in named])
    sf.write(tmp_path / "a.wav", sine(), 16_000)
    item = Item(id="q0", audio_id="a.wav", audio_file=tmp_path / "a.wav", question="?",
                choices=["x", "y"], answer="x", task="sound")
    tool = tool_names()[0]
    routers = {"a": FixedRouter([tool], name="a"), "b": FixedRouter([tool], name="b"), "none": NoToolsRouter()}
    reasoner, routes = CountingReasoner(), JsonlLog(tmp_path / "routes.jsonl")
    records: list[dict] = []
    schedule.Session(routers, reasoner, routes).run([item], lambda _: list(routers), records.append)
    assert sorted(reasoner.asked) == [(), (tool,)]
    assert [r["router"] for r in records] == ["a", "b", "none"] and all(r["correct"] for r in records)
    assert [r["router"] for r in routes.records] == ["a", "b", "none"]
    again = CountingReasoner()
    schedule.Session(routers, again, JsonlLog(tmp_path / "routes.jsonl")).run([item], lambda _: ["a"], records.append)
    assert again.asked == [(tool,)] and len(JsonlLog(tmp_path / "routes.jsonl").records) == 3
