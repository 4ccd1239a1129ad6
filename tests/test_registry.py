import pytest

from audiorouter.tools import get_tool, get_tools, tool_names
from audiorouter.tools.base import AudioTool
from audiorouter.tools.errors import UnknownToolError

EXPECTED = {"transcribe", "detect_speech", "tag_sounds", "analyze_pitch", "analyze_rhythm",
            "analyze_harmony", "measure_loudness", "count_events", "analyze_speakers",
            "audio_info"}


def test_the_registry_holds_the_ten_tools_once_each():
    names = tool_names()
    assert set(names) == EXPECTED and len(names) == len(set(names))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_tool_is_a_documented_langchain_tool(name):
    tool = get_tool(name)
    assert isinstance(tool, AudioTool) and len(tool.description) > 30 and tool.version
    schema = tool.tool_call_schema.model_json_schema()
    assert "audio" not in schema.get("properties", {})
    for arg, spec in schema.get("properties", {}).items():
        assert spec.get("description"), f"{name}.{arg} has no description for the router"
    assert "audio" in tool.args_schema.model_fields  # injected, not shown to the LLM
    assert tool.output_model.__fields__["summary"]


def test_unknown_tool_names_the_known_ones():
    with pytest.raises(UnknownToolError, match="audio_info"):
        get_tool("count_sheep")


def test_get_tools_keeps_registry_order():
    picked = get_tools(["audio_info", tool_names()[0]])
    assert [t.name for t in picked] == [n for n in tool_names() if n in {"audio_info", tool_names()[0]}]


def test_tool_versions_name_every_tool_in_order():
    from audiorouter.tools.registry import tool_versions

    listed = [entry.split(" ") for entry in tool_versions().split(", ")]
    assert [name for name, _ in listed] == tool_names()
    assert all(version == get_tool(name).version for name, version in listed)
