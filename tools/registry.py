"""The tool registry: every audio tool by name, in one fixed order.

The order is part of the contract: the environment's MultiBinary action indexes it.
"""

from __future__ import annotations

from .base import AudioTool
from .errors import UnknownToolError
from .count_events import count_events
from .analyze_harmony import analyze_harmony
from .audio_info import audio_info
from .measure_loudness import measure_loudness
from .analyze_pitch import analyze_pitch
from .analyze_rhythm import analyze_rhythm
from .tag_sounds import tag_sounds
from .analyze_speakers import analyze_speakers
from .detect_speech import detect_speech
from .transcribe import transcribe

TOOLS: tuple[AudioTool, ...] = (
    transcribe,
    detect_speech,
    analyze_speakers,
    tag_sounds,
    count_events,
    measure_loudness,
    analyze_pitch,
    analyze_rhythm,
    analyze_harmony,
    audio_info,
)
_BY_NAME = {tool.name: tool for tool in TOOLS}


def tool_names() -> list[str]:
    return [tool.name for tool in TOOLS]


def tool_versions() -> str:
    """'transcribe 3, detect_speech 1, ...': what a tool's output depends on besides the audio,
    so results can say which tools made them."""
    return ", ".join(f"{tool.name} {tool.version}" for tool in TOOLS)


def get_tool(name: str) -> AudioTool:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise UnknownToolError(
            f"no tool named {name!r}; the tools are: {', '.join(tool_names())}") from None


def get_tools(names: list[str] | None = None) -> list[AudioTool]:
    """The named tools in registry order (all of them when ``names`` is None)."""
    if names is None:
        return list(TOOLS)
    wanted = {get_tool(n).name for n in names}
    return [tool for tool in TOOLS if tool.name in wanted]
