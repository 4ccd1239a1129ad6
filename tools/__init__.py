"""Audio input, model resolution and the audio tools (the bottom layer: imports nothing above)."""

from .audio import Clip, load_audio, resolve_clip
from .base import AudioTool, Evidence, ToolFailure, ToolOutput
from .errors import (
    AudioInputError,
    AudioRouterError,
    ModelNotFoundError,
    UnknownToolError,
)
from .models import ModelSpec, resolve_model
from .registry import get_tool, get_tools, tool_names
from .runner import run_tools

__all__ = [
    "AudioInputError", "AudioRouterError", "AudioTool", "Clip", "Evidence", "ModelNotFoundError",
    "ModelSpec", "ToolFailure", "ToolOutput", "UnknownToolError", "get_tool", "get_tools",
    "load_audio", "resolve_clip", "resolve_model", "run_tools", "tool_names",
]
