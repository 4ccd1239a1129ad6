"""Measure evaluation on Ray: the same items answered here and on Ray workers, each variant
cold (a cache of its own), in one run.

    audiorouter benchmark ray-eval --dataset bench/test.json --items 8

The variants share the machine's cores alike: here (one process), Ray with one worker given
every core (so the difference is Ray's cost per item), Ray with one worker per core (the
scaling). Each first answers a warm-up item per worker, so the models are loaded before the
clock starts. A cluster's rate is an estimate, not a run: the rate per worker here times the
workers. Results go to ``ray-eval.json`` in the results folder.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from unittest.mock import patch

import typer

from audiorouter.agent.reasoners.registry import make_reasoner
from audiorouter.data.items import Item, load_items
from audiorouter.evals.ray_answers import answered_on
from audiorouter.evals.runner import evaluate
from audiorouter.evals.task import make_routers
from audiorouter.tools.models import QWEN_CODER_1_5B

from .record import RESULTS_DIR, ResultsDir, command_line, cpu_count, measured, save, table


def items_per_s(items: list[Item], warm: list[Item], routers: list[str], model: str, folder: Path,
                workers: int = 0) -> tuple[float, list]:
    """Items per second answering ``items`` after ``warm`` (here, or on ``workers`` Ray workers
    sharing the cores), with a cache of its own; and the choices made."""
    with patch.dict(os.environ, {"AUDIOROUTER_CACHE": str(folder / "cache")}):  # workers' too
        reasoner = make_reasoner(model)
        cores = cpu_count() / max(workers, 1)
        with answered_on("local" if workers else None, reasoner, workers, cores) as answers:
            evaluate(warm, make_routers(routers), reasoner, folder / "warm", oracle=False, answers=answers)
            start = time.perf_counter()
            result = evaluate(items, make_routers(routers), reasoner, folder / "run", oracle=False,
                              answers=answers)
            rate = len(items) / (time.perf_counter() - start)
    return rate, [r["choice"] for name in routers for r in result.records[name]]


def command(
    dataset: Path = typer.Option(..., help="items (MMAU-style JSON) to answer"),
    items: int = 8,
    routers: str = typer.Option("none,all", help="comma-separated routers whose routes are answered"),
    reasoner: str = QWEN_CODER_1_5B.name,
    results: ResultsDir = RESULTS_DIR,
) -> dict:
    """Evaluation items per second here and on Ray workers (local Ray instance), cold each."""
    names = [n for n in routers.split(",") if n]
    cores = cpu_count()
    variants = {"local": 0, "ray-1": 1, f"ray-{cores}": cores}
    chosen = load_items(dataset)[:items + cores]
    warm, measured_items = chosen[:cores], chosen[cores:]
    rates, choices = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for variant, workers in variants.items():
            rates[variant], choices[variant] = items_per_s(measured_items, warm, names, reasoner,
                                                          Path(tmp) / variant, workers)
    same = {v: round(sum(a == b for a, b in zip(c, choices["local"])) / len(c), 3) for v, c in choices.items()}
    outcome = {"items": len(measured_items), "routers": names, "reasoner": reasoner, "cores": cores,
               "items_per_s": {k: round(v, 4) for k, v in rates.items()},
               "vs_local": {k: round(v / rates["local"], 2) for k, v in rates.items()},
               "ray_overhead_s_per_item": round(1 / rates["ray-1"] - 1 / rates["local"], 3),
               "same_choices_as_local": same,
               "measured": measured(command_line("ray-eval", "--dataset", dataset, "--items", items,
                                                 "--routers", routers))}
    save(outcome, results, "ray-eval")
    typer.echo(json.dumps(outcome, indent=2))
    return outcome


def render(r: dict) -> str:
    """The Ray evaluation table of docs/benchmarks.md from a run's results."""
    rate, ratio, same, cores = r["items_per_s"], r["vs_local"], r["same_choices_as_local"], r["cores"]
    many = f"ray-{cores}"
    per_worker = round(rate[many] / cores, 4)
    return "\n".join([
        f"`{r['measured']['command']}`: {r['items']} items, routers {', '.join(r['routers'])} "
        f"(no oracle), reasoner `{r['reasoner']}`, {cores} cores, a local Ray instance; every row "
        f"answers the same items cold (a cache of its own) after a warm-up item per worker. "
        f"One worker with every core against one process: {r['ray_overhead_s_per_item']:+} s an item.", "",
        *table(["items answered", "items / s", "vs here", "same choices as here"],
               [["here (one process)", rate["local"], 1, "-"],
                [f"Ray, 1 worker x {cores} cores", rate["ray-1"], f"{ratio['ray-1']}x", f"{same['ray-1']:.0%}"],
                [f"Ray, {cores} workers x 1 core", rate[many], f"{ratio[many]}x", f"{same[many]:.0%}"]]), "",
        f"On a cluster (an estimate, not a run): about {per_worker} items/s per one-core worker, "
        "times the workers, while the driver's routing and writing keep up."])
