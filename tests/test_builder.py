import numpy as np
import pytest
from langgraph.checkpoint.memory import InMemorySaver

from audiorouter.agent import build_graph
from audiorouter.agent.reasoners.answer import Answer
from audiorouter.agent.builder import evidence_from_dict
from audiorouter.agent.routers.routing import FixedRouter, NoToolsRouter
from audiorouter.agent.inputs import QuestionError
from audiorouter.tools.errors import AudioNotFoundError

QUESTION = {"question": "How many knocks are heard?", "choices": ["2", "3", "4", "5"]}


class RecordingReasoner:
    """Records what the reasoner node hands over; answers the first option."""

    name = "recording"

    def __init__(self, fail: bool = False):
        self.calls = []
        self.fail = fail

    def answer(self, clip, question, choices, evidence):
        if self.fail:
            raise RuntimeError("model crashed")
        self.calls.append((clip, question, choices, list(evidence)))
        return Answer(text=choices[0] if choices else "something", choice=0 if choices else None)


class ExplodingRouter:
    name = "exploding"

    def decide(self, question, choices, clip):
        raise RuntimeError("router crashed")


@pytest.fixture
def audio(knocks):
    return (knocks[0], 16_000)


def test_tools_run_and_their_evidence_reaches_the_reasoner(audio):
    reasoner = RecordingReasoner()
    graph = build_graph(FixedRouter(["count_events", "audio_info"]), reasoner)
    out = graph.invoke({"audio": audio, **QUESTION})
    assert out["tools_used"] == ["count_events", "audio_info"]
    assert {e["tool"] for e in out["evidence"]} == {"count_events", "audio_info"}
    counted = next(e for e in out["evidence"] if e["tool"] == "count_events")
    assert counted["count"] == 4
    clip, question, choices, evidence = reasoner.calls[0]
    assert question == QUESTION["question"] and choices == QUESTION["choices"]
    assert [e.tool for e in evidence] == ["count_events", "audio_info"]  # in route order
    assert out["clip"].startswith("clip:") and out["answer"] == "2" and out["choice"] == 0
    assert {"prepare", "route", "tools", "reason", "tool:count_events"} <= set(out["timings"])


@pytest.mark.slow
def test_end_to_end_with_a_real_local_reasoner(audio, small_reasoner):
    out = build_graph(FixedRouter(["count_events"]), small_reasoner).invoke({"audio": audio, **QUESTION})
    assert out["error"] is None and out["choice"] in range(4)
    assert np.isclose(sum(out["probabilities"]), 1, atol=1e-3)


def test_no_tools_goes_straight_to_the_reasoner(audio):
    reasoner = RecordingReasoner()
    out = build_graph(NoToolsRouter(), reasoner).invoke({"audio": audio, "question": "What is it?"})
    assert out["tools_used"] == [] and out["evidence"] == [] and out["answer"] == "something"
    assert reasoner.calls[0][2] is None


def test_stream_shows_route_each_tool_and_the_answer(audio):
    graph = build_graph(FixedRouter(["count_events", "measure_loudness"]), RecordingReasoner())
    updates = [next(iter(chunk.items())) for chunk in graph.stream({"audio": audio, **QUESTION},
                                                                    stream_mode="updates")]
    nodes = [node for node, _ in updates]
    assert nodes[:2] == ["prepare", "route"] and nodes[-1] == "reason"
    assert nodes.count("run_tool") == 2
    assert updates[1][1]["route"]["router"] == "fixed"
    assert {u["evidence"][0]["tool"] for n, u in updates if n == "run_tool"} == {"count_events", "measure_loudness"}


def test_a_failing_or_slow_tool_becomes_failed_evidence(audio):
    router = FixedRouter({"count_events": {"min_gap_s": 99.0}, "analyze_harmony": {}})
    out = build_graph(router, RecordingReasoner(), tool_time_budget_s=0.001).invoke(
        {"audio": audio, **QUESTION})
    failures = [e for e in out["evidence"] if not e["ok"]]
    assert failures and out["answer"] == "2"
    assert {f["error_type"] for f in failures} <= {"ToolArgumentError", "ToolTimeoutError"}


def test_a_failing_router_or_reasoner_degrades_the_answer_not_the_process(audio):
    out = build_graph(ExplodingRouter(), RecordingReasoner()).invoke({"audio": audio, **QUESTION})
    assert out["tools_used"] == [] and "router crashed" in out["route"]["note"]
    out = build_graph(NoToolsRouter(), RecordingReasoner(fail=True)).invoke({"audio": audio, **QUESTION})
    assert out["answer"] == "" and "model crashed" in out["error"]


class Returns:
    """A router and a reasoner that return whatever they are given."""

    name = "returns"

    def __init__(self, value):
        self.value = value

    def decide(self, question, choices, clip):
        return self.value

    def answer(self, clip, question, choices, evidence):
        return self.value


@pytest.mark.parametrize("garbage", [None, "2", Answer(text="x", choice=17),
                                     Answer(text="2", choice=0, probabilities=[float("nan")] * 9),
                                     Answer(text="2", choice=0, probabilities=[0.9, 0.9, 0, 0])])
def test_a_router_or_reasoner_returning_garbage_degrades_one_answer(audio, garbage):
    out = build_graph(Returns(garbage), RecordingReasoner()).invoke({"audio": audio, **QUESTION})
    assert out["tools_used"] == [] and "not a Route" in out["route"]["note"]
    out = build_graph(NoToolsRouter(), Returns(garbage)).invoke({"audio": audio, **QUESTION})
    assert out["answer"] == "" and out["choice"] is None and "reasoner failed" in out["error"]


def test_bad_input_raises_a_typed_error():
    graph = build_graph(NoToolsRouter(), RecordingReasoner())
    with pytest.raises(AudioNotFoundError):
        graph.invoke({"audio": "/no/such.wav", "question": "q"})
    with pytest.raises(QuestionError, match="question must be non-empty"):
        graph.invoke({"audio": (np.ones(1600, np.float32) * 0.1, 16_000), "question": " "})


def test_a_second_question_about_the_same_clip_reuses_the_tools(audio):
    graph = build_graph(FixedRouter(["count_events", "analyze_rhythm"]), RecordingReasoner())
    graph.invoke({"audio": audio, **QUESTION})
    again = graph.invoke({"audio": audio, "question": "Is it regular?"})
    assert all(e["cached"] for e in again["evidence"])


def test_checkpointed_state_carries_a_clip_reference_not_samples(audio):
    graph = build_graph(FixedRouter(["audio_info"]), RecordingReasoner(), checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "t1"}}
    out = graph.invoke({"audio": audio, **QUESTION}, config)
    state = graph.get_state(config).values
    assert state["audio"] == out["clip"] and isinstance(state["audio"], str)


def test_the_builder_can_be_compiled_by_the_caller(audio):
    builder = build_graph(NoToolsRouter(), RecordingReasoner(), compile=False)
    assert set(builder.nodes) == {"prepare", "route", "run_tool", "reason"}
    assert builder.compile().invoke({"audio": audio, **QUESTION})["answer"] == "2"


def test_evidence_round_trips_to_typed_results(audio):
    out = build_graph(FixedRouter(["count_events"]), RecordingReasoner()).invoke({"audio": audio, **QUESTION})
    typed = evidence_from_dict(out["evidence"][0])
    assert type(typed).__name__ == "EventCount" and typed.count == 4


def test_restricting_tools_filters_the_route(audio):
    out = build_graph(FixedRouter(["count_events", "audio_info"]), RecordingReasoner(),
                      tools=["audio_info"]).invoke({"audio": audio, **QUESTION})
    assert out["tools_used"] == ["audio_info"]


@pytest.mark.slow
def test_fifty_concurrent_questions_get_the_sequential_answers(audio, tmp_path, monkeypatch):
    """Fifty threads share one graph, one tool cache and one llama.cpp context: every answer
    equals the one the same question gets alone, and each tool result is computed once."""
    from concurrent.futures import ThreadPoolExecutor

    from audiorouter.agent.reasoners.cascade import CascadeReasoner
    from audiorouter.tools.models import SMOLLM2_135M

    monkeypatch.setenv("AUDIOROUTER_CACHE", str(tmp_path))
    audio = (audio[0] * 0.93, audio[1])  # a clip no other test has cached tool results for
    graph = build_graph(FixedRouter(["count_events", "measure_loudness"]), CascadeReasoner(SMOLLM2_135M))
    asks = [{"audio": audio, "question": f"How many knocks, case {i}?",
             "choices": [str(i % 7), str(i % 7 + 1), str(i % 7 + 2)]} for i in range(50)]
    with ThreadPoolExecutor(50) as pool:
        together = list(pool.map(graph.invoke, asks))
    computed = [e for out in together for e in out["evidence"] if not e["cached"]]
    assert len(computed) == 2  # each tool once; 49 questions found its result
    monkeypatch.setenv("AUDIOROUTER_CACHE", str(tmp_path / "alone"))  # answers computed afresh
    graph = build_graph(FixedRouter(["count_events", "measure_loudness"]), CascadeReasoner(SMOLLM2_135M))
    alone = [graph.invoke(ask) for ask in asks]
    assert [(o["choice"], o["probabilities"]) for o in together] == \
        [(o["choice"], o["probabilities"]) for o in alone]


def test_a_router_or_reasoner_past_its_budget_degrades_one_answer(audio):
    import time

    class Slow(RecordingReasoner):
        def decide(self, question, choices, clip):
            time.sleep(2)
            return FixedRouter(["count_events"]).decide(question, choices, clip)

        def answer(self, clip, question, choices, evidence):
            time.sleep(2)
            return super().answer(clip, question, choices, evidence)

    start = time.perf_counter()
    out = build_graph(Slow(), RecordingReasoner(), router_time_budget_s=0.2).invoke({"audio": audio, **QUESTION})
    assert out["tools_used"] == [] and "time budget of 0.2 s" in out["route"]["note"]
    out = build_graph(NoToolsRouter(), Slow(), reasoner_time_budget_s=0.2).invoke({"audio": audio, **QUESTION})
    assert out["answer"] == "" and "time budget" in out["error"]
    assert time.perf_counter() - start < 3
