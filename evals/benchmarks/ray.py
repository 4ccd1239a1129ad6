"""Measure what Ray costs and gives when rollouts are played on workers: the same (item, route)
pairs played here and on 1 and 2 Ray workers, in one run.

    audiorouter benchmark ray --dataset bench/dev.json --items 8 --routes 2

A first pass here plays the pairs cold (tools and reasoner run) and fills the disk caches;
then every variant replays them from those caches in fresh environments, so the ratios show
Ray's overhead per step and how lookups scale with workers, not which variant ran first. A
cluster's cold rate is estimated, not measured: the cold rate here per worker times the
workers. Results go to ``ray.json`` in the results folder.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import gymnasium as gym
import numpy as np
import typer

import audiorouter.envs
from audiorouter.training.ray_steps import RaySteps
from audiorouter.training.rollouts import Ask, LocalSteps

from .env import Reasoner, Routes, random_pairs
from .record import RESULTS_DIR, ResultsDir, command_line, cpu_count, first_items, measured, save, table

def steps_per_s(steps, pairs: list[tuple[Ask, np.ndarray]]) -> float:
    start = time.perf_counter()
    failed = [r for r in steps.play(pairs) if isinstance(r, Exception)]
    if failed:
        raise RuntimeError(f"{len(failed)} of {len(pairs)} steps failed; the first: {failed[0]!r}")
    return len(pairs) / (time.perf_counter() - start)

def command(
    dataset: Path = typer.Option(..., help="items (MMAU-style JSON) to play"),
    items: int = 8,
    routes: Routes = 2,
    seed: int = 0,
    reasoner: Reasoner = None,
    results: ResultsDir = RESULTS_DIR,
) -> dict:
    """Rollout steps per second here and on 1 and 2 Ray workers (local Ray instance)."""
    chosen = first_items(dataset, items)
    kwargs = {"dataset": chosen, "reasoner": reasoner}
    here = LocalSteps(gym.make(audiorouter.envs.ENV_ID, **kwargs))
    pairs = [((index, 0), action) for index, action in
             random_pairs(len(chosen), routes, here.env.action_space.n, seed)]
    cold = steps_per_s(here, pairs)
    rates = {"local": steps_per_s(LocalSteps(gym.make(audiorouter.envs.ENV_ID, **kwargs)), pairs)}
    for workers in (1, 2):
        on_ray = RaySteps(here.env, audiorouter.envs.ENV_ID, kwargs, "local", workers)
        on_ray.play(pairs[:workers])  # workers load their models before the clock starts
        rates[f"ray-{workers}"] = steps_per_s(on_ray, pairs)
        on_ray.close()
    outcome = {"steps": len(pairs), "items": len(chosen), "reasoner": here.env.unwrapped.reasoner.name,
               "cores": cpu_count(), "cold_steps_per_s": round(cold, 3),
               "warm_steps_per_s": {k: round(v, 2) for k, v in rates.items()},
               "vs_local": {k: round(v / rates["local"], 2) for k, v in rates.items()},
               "ray_overhead_ms_per_step": round(1000 * (1 / rates["ray-1"] - 1 / rates["local"]), 1),
               "measured": measured(command_line("ray", "--dataset", dataset, "--items", items,
                                                 "--routes", routes))}
    save(outcome, results, "ray")
    typer.echo(json.dumps(outcome, indent=2))
    return outcome

def render(r: dict) -> str:
    """The Ray table of docs/benchmarks.md from a run's results."""
    w, x = r["warm_steps_per_s"], r["vs_local"]
    overhead = r["ray_overhead_ms_per_step"]
    cost = (f"Ray adds about {overhead} ms a step." if overhead > 0 else
            "Ray adds no overhead per step that this run can measure.")
    return "\n".join([
        f"`{r['measured']['command']}`: {r['steps']} steps ({r['items']} items, random routes), "
        f"reasoner `{r['reasoner']}`, {r['cores']} cores, a local Ray instance. Cold here: "
        f"{r['cold_steps_per_s']} steps/s; every row below replays the same steps from the disk "
        f"caches in fresh environments. {cost}", "",
        *table(["rollouts played", "steps / s", "vs here"],
               [["here (one process)", w["local"], 1], ["Ray, 1 worker", w["ray-1"], f"{x['ray-1']}x"],
                ["Ray, 2 workers", w["ray-2"], f"{x['ray-2']}x"]]), "",
        f"On a cluster (an estimate, not a run): about {r['cold_steps_per_s']} cold steps/s per worker "
        "with this machine's cores per worker, times the workers; Ray's overhead per step is small "
        "beside a cold step."])
