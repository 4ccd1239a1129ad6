"""Run several tools on one clip, in parallel threads (the tools release the GIL in native code)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Mapping, Sequence

from .audio import AudioInput, resolve_clip
from .base import Evidence
from .registry import get_tool


def run_tools(audio: AudioInput, calls: Sequence[str] | Mapping[str, dict], *,
              parallel: bool = True, use_cache: bool = True) -> list[Evidence]:
    """Run the named tools (optionally ``{name: args}``) on ``audio``; results in call order.

    The audio is decoded once. Unknown tool names raise `UnknownToolError` before anything runs;
    everything after that comes back as evidence, failures included.
    """
    named = dict(calls) if isinstance(calls, Mapping) else {name: {} for name in calls}
    tools = [(get_tool(name), args) for name, args in named.items()]
    clip = resolve_clip(audio)
    if not parallel or len(tools) < 2:
        return [tool.execute(clip, args, use_cache=use_cache) for tool, args in tools]
    with ThreadPoolExecutor(max_workers=len(tools), thread_name_prefix="audio-tool") as pool:
        futures = [pool.submit(tool.execute, clip, args, use_cache=use_cache) for tool, args in tools]
        return [f.result() for f in futures]
