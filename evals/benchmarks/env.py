"""Measure `AudioRouter-v0` steps per second: cold, warm from the disk caches, warm in memory.

    audiorouter benchmark env --dataset bench/dev.json --items 6 --routes 2

Cold steps play (item, route) pairs on clips that no earlier run touched (pick items no one
has evaluated); the same pairs are then replayed by a new environment (tool results and
reasoner answers come from the disk caches) and by the same one (its in-memory outcomes).
The three are ratios of one run. Results go to ``env.json`` in the results folder;
`audiorouter render` makes the table of docs/benchmarks.md from it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Optional

import gymnasium as gym
import numpy as np
import typer

import audiorouter.envs

from .record import RESULTS_DIR, ResultsDir, command_line, cpu_count, first_items, measured, save, table


Routes = Annotated[int, typer.Option(help="random routes per item")]
Reasoner = Annotated[Optional[str], typer.Option(help="cascade model name or GGUF path (default: the graph's)")]


def random_pairs(n_items: int, routes: int, n_tools: int, seed: int) -> list[tuple[int, np.ndarray]]:
    """``routes`` random (item, action) pairs per item, fixed by ``seed``."""
    rng = np.random.default_rng(seed)
    return [(i, rng.integers(0, 2, n_tools).astype(np.int8)) for i in range(n_items) for _ in range(routes)]


def play(env: gym.Env, pairs: list[tuple[int, np.ndarray]]) -> float:
    """Steps per second over ``pairs`` (each step also answers the no-tool baseline)."""
    start = time.perf_counter()
    for index, action in pairs:
        env.reset(options={"index": index})
        env.step(action)
    return len(pairs) / (time.perf_counter() - start)


def command(
    dataset: Path = typer.Option(..., help="items whose clips no earlier run touched"),
    items: int = 6,
    routes: Routes = 2,
    seed: int = 0,
    reasoner: Reasoner = None,
    results: ResultsDir = RESULTS_DIR,
) -> dict:
    """Steps per second of AudioRouter-v0: cold, warm from the disk caches, warm in memory."""
    chosen = first_items(dataset, items)
    env = gym.make(audiorouter.envs.ENV_ID, dataset=chosen, reasoner=reasoner)
    pairs = random_pairs(len(chosen), routes, env.action_space.n, seed)
    cold = play(env, pairs)
    fresh = gym.make(audiorouter.envs.ENV_ID, dataset=chosen, reasoner=env.unwrapped.reasoner)
    disk = play(fresh, pairs)
    memory = play(fresh, pairs)
    outcome = {"steps": len(pairs), "items": len(chosen), "reasoner": env.unwrapped.reasoner.name,
               "cores": cpu_count(), "steps_per_s": {"cold": round(cold, 3), "warm_disk": round(disk, 2),
                                                     "warm_memory": round(memory, 1)},
               "speedup": {"warm_disk": round(disk / cold, 1), "warm_memory": round(memory / cold, 1)},
               "measured": measured(command_line("env", "--dataset", dataset, "--items", items,
                                                 "--routes", routes))}
    save(outcome, results, "env")
    typer.echo(json.dumps(outcome, indent=2))
    return outcome


def render(r: dict) -> str:
    """The environment table of docs/benchmarks.md from a run's results."""
    s, x = r["steps_per_s"], r["speedup"]
    return "\n".join([
        f"`{r['measured']['command']}`: {r['steps']} steps ({r['items']} items, random "
        f"routes), reasoner `{r['reasoner']}`, {r['cores']} cores. Each step also answers the no-tool "
        "baseline (the relative reward).", "",
        *table(["AudioRouter-v0", "steps / s", "vs cold"], [
            ["cold (new clips: tools and reasoner run)", s["cold"], 1],
            ["warm, new env (disk caches: tool results, reasoner answers)", s["warm_disk"], f"{x['warm_disk']}x"],
            ["warm, same env (in-memory outcomes)", s["warm_memory"], f"{x['warm_memory']}x"]])])
