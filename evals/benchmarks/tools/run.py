"""Measure every tool against ground truth and time the suite; write docs/benchmarks.md.

    python -m audiorouter.evals.tool_bench.run --cases 20 --seed 0

Per task: accuracy (the task's metric) and seconds of compute per second of audio, warm.
Then the whole suite on one 10 s clip: all tools in parallel vs one after another, as a
ratio measured in the same run. Results go to a JSON file and a table between markers in
the docs page, so the page keeps whatever else it says.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from audiorouter.tools.registry import get_tool, tool_names
from audiorouter.tools.runner import run_tools

from . import loudness, music, sound, speakers, speech
from audiorouter.evals.docs_page import cpu_count, write_block
from .tasks import ToolTask

ALL_TASKS: list[ToolTask] = [*speech.TASKS, *speakers.TASKS, *sound.TASKS, *loudness.TASKS, *music.TASKS]
MARK_START, MARK_END = "<!-- tool-benchmark:start -->", "<!-- tool-benchmark:end -->"


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
    from audiorouter.evals import synth

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


def render_markdown(results: list[TaskResult], suite: dict, args: argparse.Namespace) -> str:
    lines = [MARK_START, "",
             f"Measured by `python -m audiorouter.evals.tool_bench.run --cases {args.cases} "
             f"--seed {args.seed}` on {platform.machine()} with {cpu_count()} CPU cores "
             f"({time.strftime('%Y-%m-%d')}). Ground truth by construction (evals/synth.py).", "",
             "| task | tool | metric | cases | result | goal | failures | s per audio s |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r.task} | `{r.tool}` | {r.metric} | {r.cases} | {r.score:.3g} | "
                     f"{r.goal} | {r.failures} | {r.seconds_per_audio_second:.4f} |")
    lines += ["", f"All {suite['tools']} tools on one {suite['clip_seconds']:.0f} s clip, warm, best of 3: "
              f"parallel **{suite['parallel_s']:.2f} s**, sequential {suite['sequential_s']:.2f} s "
              f"(parallel is {suite['parallel_speedup']:.2f}x faster, same run).", "",
              "| tool | seconds on the 10 s clip (sequential run) |", "|---|---|"]
    lines += [f"| `{k}` | {v:.3f} |" for k, v in sorted(suite["per_tool_s"].items(), key=lambda kv: -kv[1])]
    return "\n".join(lines + ["", MARK_END])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=20, help="ground-truth clips per task")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tasks", nargs="*", help="only tasks whose name contains one of these")
    parser.add_argument("--out", type=Path, default=Path("docs/benchmarks.json"))
    parser.add_argument("--docs", type=Path, default=Path("docs/benchmarks.md"))
    parser.add_argument("--no-suite", action="store_true", help="skip the 10-tool timing")
    parser.add_argument("--suite-only", action="store_true",
                        help="re-time the suite, keeping the task results already in --out")
    args = parser.parse_args(argv)
    tasks = [t for t in ALL_TASKS if not args.tasks or any(s in t.name for s in args.tasks)]
    results = []
    if args.suite_only:
        results = [TaskResult(**r) for r in json.loads(args.out.read_text())["tasks"]]
        tasks = []
    for task in tqdm(tasks, desc="tasks"):
        result = run_task(task, task_rng(args.seed, task), args.cases)
        tqdm.write(f"{result.task}: {result.score:.3g} ({result.metric}; goal {result.goal}); "
                   f"{result.seconds_per_audio_second:.4f} s/s")
        results.append(result)
    suite = {} if args.no_suite else suite_timing()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"tasks": [asdict(r) for r in results], "suite": suite}, indent=2))
    if suite and not args.tasks:
        write_block(args.docs, render_markdown(results, suite, args), (MARK_START, MARK_END))
    print(json.dumps(suite, indent=2) if suite else "")


if __name__ == "__main__":
    main()
