import pytest
from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage

from audiorouter.agent.reasoners.chat import ChatModelReasoner
from audiorouter.tools import get_tool, load_audio


@pytest.fixture(scope="module")
def clip_and_evidence(knocks):
    audio, _ = knocks
    clip = load_audio(audio, 16_000)
    return clip, [get_tool("count_events").execute(clip)]


def test_chat_model_reasoner_sends_audio_and_evidence(clip_and_evidence):
    clip, evidence = clip_and_evidence
    model = FakeMessagesListChatModel(responses=[AIMessage("C. four")])
    reasoner = ChatModelReasoner(model)
    messages = reasoner.messages(clip, "How many knocks?", ["two", "three", "four"], evidence)
    blocks = messages[1].content
    assert blocks[0]["type"] == "input_audio" and len(blocks[0]["input_audio"]["data"]) > 1000
    assert "- count_events: " in blocks[1]["text"] and "C. four" in blocks[1]["text"]
    answer = reasoner.answer(clip, "How many knocks?", ["two", "three", "four"], evidence)
    assert (answer.choice, answer.text) == (2, "four")


def test_chat_model_reasoner_reads_logprobs_when_given(clip_and_evidence):
    clip, evidence = clip_and_evidence
    top = [{"token": "B", "logprob": -0.1}, {"token": "A", "logprob": -2.5}, {"token": "x", "logprob": -1}]
    reply = AIMessage("B", response_metadata={"logprobs": {"content": [{"top_logprobs": top}]}})
    answer = ChatModelReasoner(FakeMessagesListChatModel(responses=[reply])).answer(
        clip, "q", ["one", "two"], evidence)
    assert answer.choice == 1 and answer.probabilities[1] > 0.9


def test_chat_model_reasoner_reports_unparseable_replies(clip_and_evidence):
    clip, evidence = clip_and_evidence
    reasoner = ChatModelReasoner(FakeMessagesListChatModel(responses=[AIMessage("I am not sure")]))
    answer = reasoner.answer(clip, "q", ["one", "two"], evidence)
    assert answer.choice is None and "no option" in answer.error


@pytest.mark.slow
def test_chat_model_reasoner_over_a_real_local_chat_model(clip_and_evidence):
    from audiorouter.agent.chat_local import ChatLocalLLM
    from audiorouter.tools.models import SMOLLM2_135M

    reasoner = ChatModelReasoner(ChatLocalLLM(model=SMOLLM2_135M, max_tokens=8), audio_format=None)
    clip, evidence = clip_and_evidence
    messages = reasoner.messages(clip, "How many knocks?", ["two", "four"], evidence)
    assert messages[1].content[0]["text"].startswith("Clip: ")  # text model: no audio block
    answer = reasoner.answer(clip, "How many knocks?", ["two", "four"], evidence)
    assert answer.choice in (0, 1, None) and (answer.choice is not None or answer.error)
