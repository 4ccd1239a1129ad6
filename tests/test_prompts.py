from audiorouter.agent.reasoners.prompts import (SYSTEM, WORKED_EXAMPLES, chat_turns, evidence_lines, item_turn,
                                                 lettered_options, lettered_prompt)
from audiorouter.tools import ToolFailure, ToolOutput


def test_evidence_lines_skip_failures():
    evidence = [ToolOutput(tool="count_events", summary="4 events"),
                ToolFailure(tool="transcribe", error="boom", error_type="RuntimeError", summary="failed")]
    assert evidence_lines(evidence) == ["count_events: 4 events"]


def test_the_item_turn_and_the_fixed_prefix():
    assert item_turn(2.04, [], " How many? ") == "Clip: 2.0 s\nTools:\nnone\nQuestion: How many?"
    assert "- count_events: 4 events" in item_turn(1.0, ["count_events: 4 events"], "q")
    turns = chat_turns(1.0, [], "q")
    assert turns[0] == ("system", SYSTEM) and len(turns) == 2 + 2 * len(WORKED_EXAMPLES)
    assert turns[-1] == ("user", item_turn(1.0, [], "q"))
    assert chat_turns(1.0, [], "q")[:-1] == chat_turns(9.0, ["x: y"], "other")[:-1]  # shared prefix


def test_lettered_options_and_prompt():
    assert lettered_options(["a", "b", "c"], [2, 0, 1]) == "A. c\nB. a\nC. b"
    assert lettered_prompt(1.0, [], "q", ["x", "y"]).endswith("A. x\nB. y\nAnswer with the letter of the best option.")
    assert lettered_prompt(1.0, [], "q", None).endswith("Answer in a few words.")
