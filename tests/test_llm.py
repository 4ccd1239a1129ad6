import pytest
from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage

from audiorouter.agent.routers.llm import LLMRouter
from audiorouter.tools import load_audio
from conftest import sine


class ToolCallingFake(FakeMessagesListChatModel):
    seen_tools: list = []

    def bind_tools(self, tools, **kwargs):
        type(self).seen_tools = tools
        return self


def call(name, args=None):
    return {"name": name, "args": args or {}, "id": name, "type": "tool_call"}


@pytest.fixture
def clip():
    return load_audio(sine(), 16_000)


def test_tool_calls_become_a_route_with_validated_args(clip):
    reply = AIMessage("", tool_calls=[call("count_events", {"min_gap_s": 0.2}), call("count_events"),
                                      call("analyze_pitch", {"ceiling_hz": -5}), call("no_such_tool")])
    route = LLMRouter(ToolCallingFake(responses=[reply])).decide("How many knocks?", ["1", "2"], clip)
    assert route.tools == ["count_events", "analyze_pitch"]
    assert route.calls[0].args["min_gap_s"] == 0.2
    assert route.calls[1].args == {}  # invalid arguments dropped for the defaults
    assert "no_such_tool" in route.note and "invalid arguments" in route.note


def test_the_model_sees_every_tool_schema(clip):
    LLMRouter(ToolCallingFake(responses=[AIMessage("none needed")])).decide("q", None, clip)
    assert {t.name for t in ToolCallingFake.seen_tools} >= {"transcribe", "count_events", "analyze_pitch"}


@pytest.mark.slow
def test_the_local_llm_routes_a_counting_question_to_a_tool(clip):
    route = LLMRouter().decide("How many times does the door knock? Count the knocks.",
                               ["2", "3", "4", "5"], clip)
    assert route.router == "llm" and route.tools, route.note
