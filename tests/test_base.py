import threading
import time

import numpy as np
import pytest
from langchain_core.messages import ToolMessage
from pydantic import Field

from audiorouter.tools.audio import resolve_clip
from audiorouter.tools.base import ToolArgs, ToolFailure, ToolOutput, audio_tool, load_once
from audiorouter.tools.cache import cache_key
from conftest import sine


class EchoArgs(ToolArgs):
    factor: float = Field(1.0, ge=0, le=10, description="scale")
    sleep_s: float = Field(0.0, ge=0, description="pretend to work this long")
    fail: bool = Field(False, description="raise instead of answering")


class Echo(ToolOutput):
    value: float

    def describe(self) -> str:
        return f"value {self.value:.3f}"


calls: list[float] = []


@audio_tool(name="echo", args=EchoArgs, output=Echo, version="1", description="test tool",
            time_budget_s=0.5)
def echo(clip, args: EchoArgs) -> Echo:
    calls.append(args.factor)
    time.sleep(args.sleep_s)
    if args.fail:
        raise RuntimeError("boom")
    return Echo(value=float(np.abs(clip.samples).max()) * args.factor)


@pytest.fixture(autouse=True)
def _fresh():
    calls.clear()
    echo.result_cache.clear_memory()


def test_output_is_structured_with_a_summary():
    out = echo.execute((sine(amp=0.25), 16_000), {"factor": 2})
    assert out.ok and out.tool == "echo" and out.value == pytest.approx(0.5, abs=1e-3)
    assert out.summary == "value 0.500" and not out.cached


def test_results_are_cached_by_clip_args_and_version(monkeypatch):
    audio = (sine(330), 16_000)
    first = echo.execute(audio, {"factor": 3})
    second = echo.execute(audio, {"factor": 3})
    assert second.cached and second.value == first.value and calls == [3]
    echo.execute(audio, {"factor": 4})
    assert calls == [3, 4]
    echo.result_cache.clear_memory()
    assert echo.execute(audio, {"factor": 3}).cached  # from disk
    monkeypatch.setattr(echo, "version", "2")
    assert not echo.execute(audio, {"factor": 3}).cached


def test_a_stored_result_that_no_longer_parses_is_computed_again():
    audio = (sine(550), 16_000)
    first = echo.execute(audio, {"factor": 2})
    key = cache_key(resolve_clip(audio).id, "echo", EchoArgs(factor=2).model_dump(mode="json"),
                    echo.version)
    echo.result_cache.put(key, '{"value": "not a number"}')  # e.g. an older build's schema
    with pytest.warns(UserWarning, match="dropped the damaged cache entry"):
        again = echo.execute(audio, {"factor": 2})
    assert again.ok and not again.cached and again.value == first.value and calls == [2, 2]
    assert echo.execute(audio, {"factor": 2}).cached  # and the good result replaced it


def test_exceptions_become_failed_evidence():
    out = echo.execute((sine(), 16_000), {"fail": True})
    assert isinstance(out, ToolFailure) and out.error_type == "RuntimeError"
    assert "boom" in out.summary


def test_overrunning_the_budget_becomes_failed_evidence():
    start = time.perf_counter()
    out = echo.execute((sine(), 16_000), {"sleep_s": 3.0})
    assert isinstance(out, ToolFailure) and out.error_type == "ToolTimeoutError"
    assert time.perf_counter() - start < 2.0  # the caller was not kept waiting for the tool


def test_bad_arguments_and_bad_audio_become_failed_evidence():
    assert echo.execute((sine(), 16_000), {"factor": 99}).error_type == "ToolArgumentError"
    assert echo.execute("/missing.wav").error_type == "AudioNotFoundError"


def test_schema_hides_the_audio_and_keeps_descriptions():
    schema = echo.tool_call_schema.model_json_schema()
    assert set(schema["properties"]) == {"factor", "sleep_s", "fail"}
    assert schema["properties"]["factor"]["description"] == "scale"
    assert schema["properties"]["factor"]["maximum"] == 10


def test_langchain_tool_call_returns_summary_and_artifact():
    msg = echo.invoke({"type": "tool_call", "id": "c1", "name": "echo",
                       "args": {"audio": (sine(amp=0.1), 16_000), "factor": 1}})
    assert isinstance(msg, ToolMessage) and msg.content == "value 0.100"
    assert msg.artifact["ok"] is True and msg.artifact["value"] == pytest.approx(0.1, abs=1e-3)


def test_load_once_loads_once_across_threads():
    loads = []

    @load_once
    def load(name):
        loads.append(name)
        time.sleep(0.05)
        return object()

    results = []
    threads = [threading.Thread(target=lambda: results.append(load("m"))) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert loads == ["m"] and len({id(r) for r in results}) == 1


def test_first_runs_take_turns_later_runs_overlap():
    spans: list[tuple[str, float, float]] = []

    def make(name):
        @audio_tool(name=name, args=EchoArgs, output=Echo, version="1", description="t", time_budget_s=5)
        def slow(clip, args):
            begin = time.perf_counter()
            time.sleep(0.2)
            spans.append((name, begin, time.perf_counter()))
            return Echo(value=args.factor)
        return slow

    tools = [make("first_a"), make("first_b")]

    def run_all(factor):
        threads = [threading.Thread(target=t.execute, args=((sine(), 16_000), {"factor": factor}))
                   for t in tools]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def overlap():
        (_, a0, a1), (_, b0, b1) = spans[-2:]
        return min(a1, b1) > max(a0, b0)

    run_all(1.0)
    assert not overlap()  # first runs (imports, model loads) are serialised
    run_all(2.0)
    assert overlap()  # warm tools run in parallel


@pytest.mark.parametrize("garbage", [None, "4 knocks", Echo(value=float("nan")), ToolFailure(
    tool="x", error="e", error_type="E"), ToolOutput(summary="foreign")])
def test_a_tool_that_returns_garbage_is_a_failure_not_a_crash(garbage):
    @audio_tool(name="garbage", args=EchoArgs, output=Echo, version="1", description="t")
    def bad(clip, args):
        return garbage

    out = bad.execute((sine(), 16_000))
    assert isinstance(out, ToolFailure) and out.error_type == "ToolOutputError"
    assert bad.result_cache.get(cache_key(resolve_clip((sine(), 16_000)).id, "garbage",
                                          EchoArgs().model_dump(mode="json"), "1")) is None


def test_a_first_run_obeys_a_budget_the_caller_set():
    @audio_tool(name="hangs_on_first_a", args=EchoArgs, output=Echo, version="1", description="t")
    def hang_a(clip, args):
        time.sleep(args.sleep_s)
        return Echo(value=1.0)

    @audio_tool(name="hangs_on_first_b", args=EchoArgs, output=Echo, version="1", description="t")
    def hang_b(clip, args):
        time.sleep(args.sleep_s)
        return Echo(value=1.0)

    start = time.perf_counter()
    outs = []
    threads = [threading.Thread(target=lambda t=t: outs.append(t.execute(
        (sine(), 16_000), {"sleep_s": 3}, use_cache=False, time_budget_s=0.3)))
        for t in (hang_a, hang_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert time.perf_counter() - start < 1.5  # both within their budget, not one after another
    assert [o.error_type for o in outs] == ["ToolTimeoutError"] * 2
    # a failed first run does not leave the tool taking turns: its next run is a normal one
    assert hang_a.execute((sine(), 16_000), {"sleep_s": 0}, use_cache=False, time_budget_s=1).ok


def test_concurrent_misses_for_one_key_compute_once(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIOROUTER_CACHE", str(tmp_path))
    audio = (sine(330), 16_000)
    outs = []
    threads = [threading.Thread(target=lambda: outs.append(echo.execute(audio, {"factor": 3, "sleep_s": 0.2})))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [3] and len({o.value for o in outs}) == 1
    assert sum(not o.cached for o in outs) == 1
    assert not list((tmp_path / "tools" / "echo" / ".locks").iterdir())  # no lock file left behind
