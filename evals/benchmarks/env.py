"""Measure `AudioRouter-v0` steps per second: cold, warm from the disk caches, warm in memory.

    python -m audiorouter.evals.env_bench --dataset bench/dev.json --items 6 --routes 2

Cold steps play (item, route) pairs on clips that no earlier run touched (pick items no one
has evaluated); the same pairs are then replayed by a new environment (tool results and
reasoner answers come from the disk caches) and by the same one (its in-memory outcomes).
The three are ratios of one run. Results go to docs/env_benchmark.json and a table between
markers in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import gymnasium as gym
import numpy as np

import audiorouter.envs
from audiorouter.evals.docs_page import cpu_count, write_block

MARKS = ("<!-- env-benchmark:start -->", "<!-- env-benchmark:end -->")


def play(env: gym.Env, pairs: list[tuple[int, np.ndarray]]) -> float:
    """Steps per second over ``pairs`` (each step also answers the no-tool baseline)."""
    start = time.perf_counter()
    for index, action in pairs:
        env.reset(options={"index": index})
        env.step(action)
    return len(pairs) / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", required=True, help="items whose clips no earlier run touched")
    parser.add_argument("--items", type=int, default=6)
    parser.add_argument("--routes", type=int, default=2, help="random routes per item")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reasoner", default=None, help="cascade model name or GGUF path (default: the graph's)")
    parser.add_argument("--out", type=Path, default=Path("docs/env_benchmark.json"))
    parser.add_argument("--docs", type=Path, default=Path("docs/benchmarks.md"))
    args = parser.parse_args(argv)

    items = json.loads(Path(args.dataset).read_text())[:args.items]
    for item in items:
        item["audio_id"] = str((Path(args.dataset).parent / item["audio_id"]).resolve())
    env = gym.make(audiorouter.envs.ENV_ID, dataset=items, reasoner=args.reasoner)
    rng = np.random.default_rng(args.seed)
    n_tools = env.action_space.n
    pairs = [(i, rng.integers(0, 2, n_tools).astype(np.int8)) for i in range(len(items)) for _ in range(args.routes)]
    cold = play(env, pairs)
    fresh = gym.make(audiorouter.envs.ENV_ID, dataset=items, reasoner=env.unwrapped.reasoner)
    disk = play(fresh, pairs)
    memory = play(fresh, pairs)
    results = {"steps": len(pairs), "items": len(items), "reasoner": env.unwrapped.reasoner.name,
               "cores": cpu_count(), "steps_per_s": {"cold": round(cold, 3), "warm_disk": round(disk, 2),
                                                     "warm_memory": round(memory, 1)},
               "speedup": {"warm_disk": round(disk / cold, 1), "warm_memory": round(memory / cold, 1)}}
    args.out.write_text(json.dumps(results, indent=2))
    write_block(args.docs, render(results, args), MARKS)
    print(json.dumps(results, indent=2))
    return results


def render(r: dict, args: argparse.Namespace) -> str:
    s, x = r["steps_per_s"], r["speedup"]
    return "\n".join([
        MARKS[0], "",
        f"`python -m audiorouter.evals.env_bench --dataset {args.dataset} --items {args.items} "
        f"--routes {args.routes}`: {r['steps']} steps ({r['items']} items, random "
        f"routes), reasoner `{r['reasoner']}`, {r['cores']} cores. Each step also answers the no-tool "
        "baseline (the relative reward).", "",
        "| AudioRouter-v0 | steps / s | vs cold |", "|---|---|---|",
        f"| cold (new clips: tools and reasoner run) | {s['cold']} | 1 |",
        f"| warm, new env (disk caches: tool results, reasoner answers) | {s['warm_disk']} | {x['warm_disk']}x |",
        f"| warm, same env (in-memory outcomes) | {s['warm_memory']} | {x['warm_memory']}x |",
        "", MARKS[1]])


if __name__ == "__main__":
    main()
