from typing import Annotated, TypedDict

from langchain_core.messages import AIMessage, HumanMessage
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages

from audiorouter.agent import build_graph
from audiorouter.agent.reasoners.answer import Answer
from audiorouter.agent.routers.routing import FixedRouter
from audiorouter.agent.subagent import as_node, as_tool
from audiorouter.data import synth


class CountingReasoner:
    """Answers with the event count from the evidence, so the tests can check the wiring."""

    name = "counting"

    def answer(self, clip, question, choices, evidence):
        count = next(e.count for e in evidence if e.tool == "count_events")
        return Answer(text=f"{count} knocks")


class ChatState(TypedDict):
    messages: Annotated[list, add_messages]
    audio: str


def audio_graph():
    return build_graph(FixedRouter(["count_events"]), CountingReasoner())


def test_as_a_node_in_a_messages_based_parent_graph(tmp_path, knocks):
    path = synth.write_wav(tmp_path / "knocks.wav", knocks[0])
    parent = StateGraph(ChatState)
    parent.add_node("audio_expert", as_node(audio_graph()))
    parent.add_edge(START, "audio_expert")
    out = parent.compile().invoke({"messages": [HumanMessage("How many knocks?")], "audio": str(path)})
    reply = out["messages"][-1]
    assert isinstance(reply, AIMessage) and reply.text.startswith("4 knocks")
    assert reply.additional_kwargs["audiorouter"]["tools_used"] == ["count_events"]


def test_as_a_tool_a_parent_agent_calls(tmp_path, knocks):
    path = synth.write_wav(tmp_path / "knocks.wav", knocks[0])
    tool = as_tool(audio_graph())
    assert set(tool.tool_call_schema.model_json_schema()["properties"]) == {"audio", "question", "choices"}
    message = tool.invoke({"type": "tool_call", "id": "1", "name": tool.name,
                           "args": {"audio": str(path), "question": "How many knocks?"}})
    assert message.content.startswith("4 knocks") and message.artifact["tools_used"] == ["count_events"]


class ToolsState(TypedDict):
    messages: Annotated[list, add_messages]


def test_a_bad_call_beside_a_good_one_does_not_crash_the_parent(tmp_path, knocks):
    from langgraph.prebuilt import ToolNode

    path = synth.write_wav(tmp_path / "knocks.wav", knocks[0])
    tool = as_tool(audio_graph())
    calls = [{"id": "good", "name": tool.name, "args": {"audio": str(path), "question": "How many?"}},
             {"id": "bad", "name": tool.name, "args": {"audio": str(tmp_path / "no.wav"),
                                                       "question": "How many?"}}]
    parent = StateGraph(ToolsState)
    parent.add_node("tools", ToolNode([tool]))
    parent.add_edge(START, "tools")
    out = parent.compile().invoke({"messages": [AIMessage("", tool_calls=calls)]})
    replies = {m.tool_call_id: m for m in out["messages"][1:]}
    assert replies["good"].status == "success" and replies["good"].content.startswith("4 knocks")
    assert replies["bad"].status == "error"
    assert "AudioNotFoundError" in replies["bad"].content and "no.wav" in replies["bad"].content


class ChoicesState(ChatState):
    choices: list[str]


def test_the_node_passes_choices_and_reports_a_bad_input(tmp_path, knocks):
    path = synth.write_wav(tmp_path / "knocks.wav", knocks[0])
    seen = []

    class ChoosingReasoner(CountingReasoner):
        def answer(self, clip, question, choices, evidence):
            seen.append(choices)
            return Answer(text=choices[1], choice=1)

    parent = StateGraph(ChoicesState)
    parent.add_node("audio_expert", as_node(build_graph(FixedRouter(["count_events"]),
                                                        ChoosingReasoner()), with_evidence=True))
    parent.add_edge(START, "audio_expert")
    app = parent.compile()
    out = app.invoke({"messages": [HumanMessage("How many knocks?")], "audio": str(path),
                      "choices": ["3", "4"]})
    assert seen == [["3", "4"]]
    reply = out["messages"][-1]
    assert reply.text.startswith("4 (checked with count_events)\n- count_events: 4 ")
    bad = app.invoke({"messages": [HumanMessage("How many knocks?")], "audio": str(path),
                      "choices": ["3"]})["messages"][-1]
    assert bad.text.startswith("could not answer: QuestionError") and "2 to 10 options" in bad.text
    assert bad.additional_kwargs["audiorouter"]["error"]
