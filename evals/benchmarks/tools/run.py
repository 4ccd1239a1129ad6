"""Measure every tool against ground truth and time the suite.

    audiorouter benchmark tools --cases 20 --seed 0

Per task: accuracy (the task's metric) and seconds of compute per second of audio, warm.
Then the whole suite on one 10 s clip: all tools in parallel vs one after another, as a
ratio measured in the same run. Results go to ``tools.json`` in the results folder;
`audiorouter render` makes the table of docs/benchmarks.md from it.
"""

from __future__ import annotations

import json
import statistics
import time
import zlib
from dataclasses import asdict, dataclass
from typing import Optional

import numpy as np
import typer
from tqdm import tqdm

from audiorouter.tools.registry import get_tool, tool_names
from audiorouter.tools.runner import run_tools

from . import loudness, music, sound, speakers, speech
from ..record import RESULTS_DIR, ResultsDir, command_line, measured, save, table
from .tasks import ToolTask

ALL_TASKS: list[ToolTask] = [*speech.TASKS, *speakers.TASKS, *sound.TASKS, *loudness.TASKS, *music.TASKS]


@dataclass
class TaskResult:
    task: str
    tool: str
    metric: str
    cases: int
    score: float
    failures: int
    seconds_per_audio_second: float
    goal: str


def task_rng(seed: int, task: ToolTask) -> np.random.Generator:
    """Each task's cases come from the seed and its name alone, so adding, removing or
    filtering tasks (`--tasks`) leaves every other task's cases as they were."""
    return np.random.default_rng([seed, zlib.crc32(task.name.encode())])


def run_task(task: ToolTask, rng: np.random.Generator, n: int) -> TaskResult:
    tool = get_tool(task.tool)
    cases = task.make_cases(rng, n)
    tool.execute((cases[0].audio, cases[0].sample_rate), cases[0].args, use_cache=False)  # warm up
    scores, compute, audio_seconds, failures = [], 0.0, 0.0, 0
    for case in tqdm(cases, desc=task.name, leave=False):
        start = time.perf_counter()
        out = tool.execute((case.audio, case.sample_rate), case.args, use_cache=False)
        compute += time.perf_counter() - start
        audio_seconds += len(case.audio) / case.sample_rate
        if not out.ok:
            failures += 1
            scores.append(0.0 if task.higher_is_better else float("nan"))
            continue
        scores.append(float(task.score(out, case.truth)))
    valid = [s for s in scores if s == s]
    return TaskResult(task.name, task.tool, task.metric, len(cases),
                      round(statistics.fmean(valid), 4) if valid else float("nan"), failures,
                      round(compute / audio_seconds, 4), task.goal)


def suite_timing(clip_seconds: float = 10.0, repeats: int = 3) -> dict:
    """All tools on one clip, warm: parallel vs sequential wall time, best of ``repeats``."""
    from audiorouter.data import synth

    rng = np.random.default_rng(7)
    speech_part = synth.speak("The delivery arrives at four thirty on Tuesday.", voice="slt")
    music_part = synth.drum_loop(120, 2, rng)
    audio = np.zeros(int(clip_seconds * 16_000), np.float32)
    audio[: len(speech_part)] += speech_part[: len(audio)]
    start = min(len(audio) // 2, len(audio) - 1)
    tail = music_part[: len(audio) - start]
    audio[start:start + len(tail)] += 0.7 * tail
    names = tool_names()
    run_tools((audio, 16_000), names, use_cache=False)  # load every model once
    timings: dict[str, list[float]] = {"parallel": [], "sequential": []}
    per_tool: dict[str, float] = {}
    for _ in range(repeats):
        for mode in ("parallel", "sequential"):
            t = time.perf_counter()
            results = run_tools((audio, 16_000), names, parallel=mode == "parallel", use_cache=False)
            timings[mode].append(time.perf_counter() - t)
            if mode == "sequential":
                per_tool = {r.tool: r.seconds for r in results}
    best = {mode: min(v) for mode, v in timings.items()}
    return {"clip_seconds": clip_seconds, "tools": len(names), **{f"{k}_s": round(v, 3) for k, v in best.items()},
            "parallel_speedup": round(best["sequential"] / best["parallel"], 2),
            "per_tool_s": {k: round(v, 3) for k, v in per_tool.items()}}


def render(r: dict) -> str:
    """The tool table of docs/benchmarks.md from a run's results."""
    m, suite = r["measured"], r["suite"]
    return "\n".join([
        f"Measured by `{m['command']}` on {m['machine']} with {m['cpus']} CPU cores ({m['date']}). "
        "Ground truth by construction (data/synth/).", "",
        *table(["task", "tool", "metric", "cases", "result", "goal", "failures", "s per audio s"],
               ([t["task"], f"`{t['tool']}`", t["metric"], t["cases"], f"{t['score']:.3g}", t["goal"],
                 t["failures"], f"{t['seconds_per_audio_second']:.4f}"] for t in r["tasks"])),
        "", f"All {suite['tools']} tools on one {suite['clip_seconds']:.0f} s clip, warm, best of 3: "
        f"parallel **{suite['parallel_s']:.2f} s**, sequential {suite['sequential_s']:.2f} s "
        f"(parallel is {suite['parallel_speedup']:.2f}x faster, same run).", "",
        *table(["tool", "seconds on the 10 s clip (sequential run)"],
               ([f"`{k}`", f"{v:.3f}"] for k, v in sorted(suite["per_tool_s"].items(), key=lambda kv: -kv[1])))])


def command(
    cases: int = typer.Option(20, help="ground-truth clips per task"),
    seed: int = 0,
    tasks: list[str] = typer.Option([], "--tasks", help="only tasks whose name contains this (repeat)"),
    no_suite: bool = typer.Option(False, "--no-suite", help="skip the 10-tool timing"),
    suite_only: bool = typer.Option(False, "--suite-only",
                                    help="re-time the suite, keeping the task results already saved"),
    name: Optional[str] = typer.Option(None, help="result file name (default: tools; a partial run "
                                       "with --tasks or --no-suite: tools-partial)"),
    results: ResultsDir = RESULTS_DIR,
) -> None:
    """Every tool against ground truth (accuracy, seconds per audio second) and the suite's timing."""
    name = name or ("tools-partial" if tasks or no_suite else "tools")
    chosen = [t for t in ALL_TASKS if not tasks or any(s in t.name for s in tasks)]
    done = []
    if suite_only:
        done = [TaskResult(**r) for r in json.loads((results / f"{name}.json").read_text())["tasks"]]
        chosen = []
    for task in tqdm(chosen, desc="tasks"):
        result = run_task(task, task_rng(seed, task), cases)
        tqdm.write(f"{result.task}: {result.score:.3g} ({result.metric}; goal {result.goal}); "
                   f"{result.seconds_per_audio_second:.4f} s/s")
        done.append(result)
    suite = {} if no_suite else suite_timing()
    save({"tasks": [asdict(r) for r in done], "suite": suite,
          "measured": measured(command_line("tools", "--cases", cases, "--seed", seed))}, results, name)
    typer.echo(json.dumps(suite, indent=2) if suite else "")
