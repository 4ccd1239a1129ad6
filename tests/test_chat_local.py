import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

from audiorouter.agent.chat_local import ChatLocalLLM, _parse_tool_calls, _turns
from audiorouter.tools import get_tool
from audiorouter.tools.models import SMOLLM2_135M


@pytest.mark.parametrize("text", [
    '<tool_call>\n{"name": "count_events", "arguments": {"min_gap_s": 0.1}}\n</tool_call>',
    '```json\n{"name": "count_events", "arguments": {"min_gap_s": 0.1}}\n```',
    'I will call {"name": "count_events", "parameters": {"min_gap_s": 0.1}} now',
])
def test_tool_calls_are_parsed_with_or_without_tags(text):
    calls = _parse_tool_calls(text)
    assert [(c["name"], c["args"]) for c in calls] == [("count_events", {"min_gap_s": 0.1})]


def test_no_json_means_no_calls():
    assert _parse_tool_calls("No tool is needed.") == []


def test_turns_carry_the_tool_signatures_and_history():
    tool = {"type": "function", "function": {"name": "t", "parameters": {}}}
    turns = _turns([SystemMessage("sys"), HumanMessage("hi"),
                    AIMessage("", tool_calls=[{"name": "t", "args": {}, "id": "1"}]),
                    ToolMessage("result", tool_call_id="1")], [tool])
    assert turns[0][0] == "system" and "<tools>" in turns[0][1] and '"name":"t"' in turns[0][1]
    assert "<tool_call>" in turns[2][1] and "<tool_response>" in turns[3][1]


@pytest.mark.slow
def test_a_real_local_model_answers_through_langchain():
    model = ChatLocalLLM(model=SMOLLM2_135M, max_tokens=40).bind_tools([get_tool("count_events")])
    reply = model.invoke([HumanMessage("How many knocks are in the recording? Use a tool.")])
    assert isinstance(reply, AIMessage)
    assert reply.tool_calls or reply.text  # a tiny model may or may not call; it must answer
    for call in reply.tool_calls:
        assert isinstance(call["args"], dict)


@pytest.mark.slow
def test_repeated_prompts_are_answered_from_the_cache():
    from audiorouter.agent.local_llm import load_local_llm

    model = ChatLocalLLM(model=SMOLLM2_135M, max_tokens=12)
    first = model.invoke([HumanMessage("Name a colour.")])
    generated = load_local_llm(SMOLLM2_135M).stats["generated_tokens"]
    again = model.invoke([HumanMessage("Name a colour.")])
    assert again.text == first.text
    assert load_local_llm(SMOLLM2_135M).stats["generated_tokens"] == generated
