from typing import Annotated, TypedDict

from langchain_core.messages import AIMessage, HumanMessage
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages

from audiorouter.agent import build_graph
from audiorouter.agent.answer import Answer
from audiorouter.agent.routing import FixedRouter
from audiorouter.agent.subagent import as_node, as_tool
from audiorouter.evals import synth


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
