"""What every audio tool shares: result types, the LangChain tool class, budgets, caching.

A tool is written as a plain function ``run(clip, args) -> Output`` and declared with
`audio_tool`. That gives a LangChain `StructuredTool` whose JSON schema is the args model
(the audio is injected from graph state and hidden from it), which

* never raises from `execute`: errors and overruns come back as a `ToolFailure`;
* caches its output by (clip id, tool, arguments, tool version);
* answers LangChain tool calls with the one-line summary as content and the structured
  output as artifact.
"""

from __future__ import annotations

import functools
import math
import threading
import time
from typing import Annotated, Any, Callable, Iterator, Literal, TypeVar, Union

from langchain_core.tools import InjectedToolArg, StructuredTool
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .audio import AudioInput, Clip, resolve_clip
from .cache import ResultCache, cache_key
from .errors import AudioRouterError, ToolArgumentError

F = TypeVar("F", bound=Callable[..., Any])


class ToolArgs(BaseModel):
    """Base of every tool's arguments: what an LLM router sees as the tool's JSON schema."""

    model_config = ConfigDict(extra="forbid")


class ToolOutput(BaseModel):
    """Base of every tool's successful result: structured fields plus a one-line summary."""

    tool: str = ""
    ok: Literal[True] = True
    seconds: float = Field(0.0, description="wall time of this call (0 when cached)")
    compute_seconds: float = Field(0.0, description="wall time of the computation that made the "
                                   "result, kept when cached: what a cost per tool second charges")
    cached: bool = False
    summary: str = Field("", description="one line for a reasoner's prompt")

    def describe(self) -> str:
        """The one-line summary; every tool's output class says what matters most first."""
        raise NotImplementedError


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth")


def ordinal(index: int) -> str:
    """'first' for index 0: summaries name things the way questions about them do."""
    return _ORDINALS[index] if index < len(_ORDINALS) else f"#{index + 1}"


class ToolFailure(BaseModel):
    """A tool that raised or overran its budget: evidence that says so instead of a crash."""

    tool: str
    ok: Literal[False] = False
    error: str
    error_type: str
    seconds: float = 0.0
    summary: str = ""


Evidence = Union[ToolOutput, ToolFailure]


class AudioTool(StructuredTool):
    """A LangChain tool over audio, with a version, an output schema and a time budget."""

    version: str
    args_model: type[ToolArgs]
    output_model: type[ToolOutput]
    time_budget_s: float = 30.0
    implementation: Callable[[Clip, Any], ToolOutput]
    result_cache: ResultCache

    def execute(self, audio: AudioInput, args: ToolArgs | dict | None = None, *,
                use_cache: bool = True, time_budget_s: float | None = None) -> Evidence:
        """Run on any audio input; never raises: failures return as `ToolFailure`."""
        start = time.perf_counter()
        try:
            parsed = self.parse_args(args)
            clip = resolve_clip(audio)
        except Exception as exc:  # bad arguments or unusable audio: one failed piece of evidence
            return self._failure(exc, time.perf_counter() - start)
        if not use_cache:
            return self._compute(clip, parsed, time_budget_s, start)
        key = cache_key(clip.id, self.name, parsed.model_dump(mode="json"), self.version)
        return self.result_cache.get_or_compute(  # a concurrent miss for this key computes once
            key, self._from_cache, lambda: self._compute(clip, parsed, time_budget_s, start),
            lambda out: out.model_dump_json() if out.ok else None)

    def _compute(self, clip: Clip, parsed: ToolArgs, time_budget_s: float | None,
                 start: float) -> Evidence:
        budget = self.time_budget_s if time_budget_s is None else time_budget_s
        try:
            output = self._checked(self._run_with_budget(clip, parsed, budget,
                                                         explicit=time_budget_s is not None))
            seconds = round(time.perf_counter() - start, 4)
            output = output.model_copy(update={"tool": self.name, "seconds": seconds,
                                               "compute_seconds": seconds})
            output.summary = output.describe()
        except Exception as exc:
            return self._failure(exc, time.perf_counter() - start)
        return output

    def _from_cache(self, text: str) -> ToolOutput:
        """A stored result; one that no longer parses (written by an older build of the
        tool) raises, so the cache drops it and the tool runs again."""
        output = self._checked(self.output_model.model_validate_json(text))
        return output.model_copy(update={"cached": True, "seconds": 0.0})

    def _checked(self, output: Any) -> ToolOutput:
        """``output`` if it is this tool's output model with finite numbers throughout; a tool
        that returns anything else has failed, whatever it returned."""
        if not isinstance(output, self.output_model):
            raise ToolOutputError(f"returned {type(output).__name__}, not "
                                  f"{self.output_model.__name__}")
        data = output.model_dump()
        if bad := sorted(_non_finite(data)):
            raise ToolOutputError(f"returned non-finite numbers in {', '.join(bad)}")
        return self.output_model.model_validate(data)

    def _run_with_budget(self, clip: Clip, args: ToolArgs, budget: float, *,
                         explicit: bool = False) -> ToolOutput:
        """The first run of each tool in a process imports libraries and loads models: those
        runs take turns (concurrent first imports of scipy & co. in threads can break) and,
        unless the caller set the budget, get `FIRST_RUN_BUDGET_S` to load; later runs go in
        parallel within their own budget. A budget the caller set holds for the first run
        too, waiting for the turn included."""
        if self.name in _warm_tools:
            return call_with_budget(self.implementation, (clip, args), budget)
        deadline = time.monotonic() + (budget if explicit else max(budget, FIRST_RUN_BUDGET_S))
        if not _first_run_lock.acquire(timeout=max(deadline - time.monotonic(), 0)):
            raise ToolTimeoutError(f"waited past its time budget of {budget:g} s for another "
                                   "tool's first run")
        try:
            return call_with_budget(self.implementation, (clip, args),
                                     max(deadline - time.monotonic(), 0.0))
        finally:  # warm or failed, the next run does not wait for a turn again
            _warm_tools.add(self.name)
            _first_run_lock.release()

    def parse_args(self, args: ToolArgs | dict | None) -> ToolArgs:
        if isinstance(args, self.args_model):
            return args
        try:
            return self.args_model.model_validate(args or {})
        except ValidationError as exc:
            raise ToolArgumentError(
                f"bad arguments for tool {self.name!r}: {exc.errors(include_url=False)}; "
                f"the schema is {self.args_model.model_json_schema()}") from None

    def _failure(self, exc: Exception, seconds: float) -> ToolFailure:
        message = str(exc) or type(exc).__name__
        return ToolFailure(tool=self.name, error=message, error_type=type(exc).__name__,
                           seconds=round(seconds, 4),
                           summary=f"{self.name} failed ({type(exc).__name__}): {message[:160]}")


FIRST_RUN_BUDGET_S = 180.0
_first_run_lock = threading.Lock()
_warm_tools: set[str] = set()


class ToolTimeoutError(TimeoutError):
    """A tool (or a router or reasoner) ran past its time budget."""


class ToolOutputError(AudioRouterError):
    """A tool returned something that is not its output model with finite numbers."""


def _non_finite(value: Any, where: str = "") -> Iterator[str]:
    """Names of the fields (dotted, with list indices) that hold NaN or infinity."""
    if isinstance(value, float) and not math.isfinite(value):
        yield where or "the result"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _non_finite(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _non_finite(item, f"{where}[{i}]")


def call_with_budget(fn: Callable, args: tuple, budget_s: float) -> Any:
    """Call ``fn(*args)`` in a daemon thread and give up waiting after ``budget_s`` seconds.

    Python cannot kill a thread: an overrunning call finishes in the background and its
    result is dropped. The caller gets its answer on time, which is what the budget is for.
    """
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=target, daemon=True, name=f"tool-{fn.__name__}")
    worker.start()
    worker.join(budget_s)
    if worker.is_alive():
        raise ToolTimeoutError(f"{getattr(fn, '__qualname__', 'the call')} ran past its time "
                               f"budget of {budget_s:g} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


def audio_tool(*, name: str, args: type[ToolArgs], output: type[ToolOutput], version: str,
               description: str, time_budget_s: float = 30.0) -> Callable[[Callable], AudioTool]:
    """Declare ``fn(clip, args) -> output`` as an `AudioTool` (a LangChain StructuredTool)."""

    def wrap(fn: Callable[[Clip, Any], ToolOutput]) -> AudioTool:
        schema = type(f"{args.__name__}WithAudio", (args,), {
            "__annotations__": {"audio": Annotated[Any, InjectedToolArg]},
            "audio": Field(description="the audio, injected from graph state"),
            "__doc__": args.__doc__ or description,
        })

        def invoke(audio: AudioInput, **kwargs: Any) -> tuple[str, dict]:
            evidence = tool.execute(audio, kwargs)
            return evidence.summary, evidence.model_dump(mode="json")

        tool = AudioTool(name=name, description=description, args_schema=schema, func=invoke,
                         response_format="content_and_artifact", version=version,
                         args_model=args, output_model=output, time_budget_s=time_budget_s,
                         implementation=fn, result_cache=ResultCache(f"tools/{name}"))
        return tool

    return wrap


def load_once(factory: F) -> F:
    """Like `functools.cache` for model loaders, but two threads never load the same model twice."""
    cached = functools.cache(factory)
    lock = threading.Lock()

    @functools.wraps(factory)
    def load(*args: Any, **kwargs: Any) -> Any:
        with lock:
            return cached(*args, **kwargs)

    load.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return load  # type: ignore[return-value]
