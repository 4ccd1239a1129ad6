"""Rollouts: the training file, the environment, the seeded batch plan, and one batch's routes
sampled from the policy and played through the frozen graph for their rewards."""

from __future__ import annotations

import sys

import gymnasium as gym
import numpy as np
import torch

import audiorouter.envs  # noqa: F401  (registers AudioRouter-v0)
from audiorouter.envs import default_dataset

from .algorithms import sample_routes
from .config import Args


def ensure_dataset(args: Args) -> str:
    """The training file; the default benchmark is built here on first use."""
    if args.dataset:
        return args.dataset
    path = default_dataset()
    if not path.is_file():
        from audiorouter.evals.bench import build_benchmark

        print(f"building the benchmark into {path.parent} (once)", file=sys.stderr)
        build_benchmark(path.parent, 40, seed=0)
    return str(path)


def make_env(args: Args, dataset: str, num_items: int | None) -> gym.Env:
    return gym.make(args.env, dataset=dataset, reasoner=args.reasoner, reward=args.reward,
                    cost_per_call=args.cost_per_call, cost_per_second=args.cost_per_second,
                    num_items=num_items)


def batches(n_items: int, args: Args) -> list[list[int]]:
    """Every batch of the run, fixed by the seed: each epoch a new shuffle of the items."""
    out = []
    for epoch in range(args.epochs):
        order = np.random.default_rng([args.seed, epoch]).permutation(n_items).tolist()
        out += [order[i:i + args.items_per_batch] for i in range(0, n_items, args.items_per_batch)]
    return out


def collect(env: gym.Env, policy: torch.nn.Module, indices: list[int], group_size: int,
            sampler: torch.Generator | None = None) -> dict:
    """Sample ``group_size`` routes per item (from ``sampler``) and play them. A step that raises
    (an unreadable item, say) is skipped and counted: it costs one sample, never the run."""
    obs, actions, rewards, groups, correct, calls = [], [], [], [], [], []
    failures, answer_errors, last_error = 0, 0, ""
    tool_failures: dict[str, str] = {}  # tool -> its last error: the answer went on without it
    for index in indices:
        try:
            item_obs, _ = env.reset(options={"index": index})
        except Exception as exc:
            failures += group_size
            last_error = f"item {index}: {type(exc).__name__}: {exc}"
            print(f"skipping {last_error}", file=sys.stderr)
            continue
        x = torch.as_tensor(item_obs)
        with torch.no_grad():
            sampled = sample_routes(policy(x), group_size, sampler)
        for action in sampled:
            try:
                env.reset(options={"index": index})
                _, reward, _, _, info = env.step(action.numpy().astype(np.int8))
            except Exception as exc:
                failures += 1
                last_error = f"item {index}: {type(exc).__name__}: {exc}"
                print(f"skipping a step of {last_error}", file=sys.stderr)
                continue
            if info.get("error"):
                answer_errors += 1
                last_error = f"item {index}: {info['error']}"
            tool_failures.update((e["tool"], e.get("error", "")) for e in info["evidence"] if not e["ok"])
            obs.append(x)
            actions.append(action)
            rewards.append(reward)
            groups.append(index)
            correct.append(float(info["correct"]))
            calls.append(len(info["tools_used"]))
    counts = {"n": len(obs), "failures": failures, "answer_errors": answer_errors, "last_error": last_error,
              "tool_failures": tool_failures}
    if not obs:
        return counts
    return {**counts, "obs": torch.stack(obs), "actions": torch.stack(actions),
            "rewards": torch.tensor(rewards, dtype=torch.float32), "groups": torch.tensor(groups),
            "correct": float(np.mean(correct)), "calls": float(np.mean(calls))}
