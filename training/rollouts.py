"""Rollouts: the training file, the environment, the seeded batch plan, and one batch's routes
sampled from the policy and played through the frozen graph (here or on Ray workers) for their
rewards."""

from __future__ import annotations

import sys
from typing import Protocol, Sequence

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
        from audiorouter.data import build_benchmark

        print(f"building the benchmark into {path.parent} (once)", file=sys.stderr)
        build_benchmark(path.parent, 40, seed=0)
    return str(path)


# One question to play: (item index, wording), wording 0 the item's question, k its k-th paraphrase.
Ask = tuple[int, int]


def batches(wordings: Sequence[int], args: Args) -> list[list[Ask]]:
    """Every batch of the run, fixed by the seed: each epoch a new shuffle of the items, each
    item asked (with ``args.paraphrases``) in one of its ``wordings[i]`` wordings drawn anew
    every epoch, else in its own question."""
    out, n_items = [], len(wordings)
    for epoch in range(args.epochs):
        order = np.random.default_rng([args.seed, epoch]).permutation(n_items).tolist()
        draw = np.random.default_rng([args.seed, epoch, 1])
        asks = [(i, int(draw.integers(wordings[i])) if args.paraphrases else 0) for i in order]
        out += [asks[i:i + args.items_per_batch] for i in range(0, n_items, args.items_per_batch)]
    return out


class Steps(Protocol):
    """Where routes are played: here (`LocalSteps`) or on Ray workers (`ray_steps.RaySteps`).
    ``env`` is this process's environment (the items, spaces and observations)."""

    env: gym.Env

    def observe(self, ask: Ask) -> np.ndarray:
        """The observation of item ``ask[0]`` asked in wording ``ask[1]`` (raises if the item
        cannot be read)."""

    def play(self, pairs: list[tuple[Ask, np.ndarray]]) -> list[tuple[float, dict] | Exception]:
        """Each (ask, action)'s reward and info, in order; a step that raised as its exception."""

    def close(self) -> None:
        """Let the environments go."""


class LocalSteps:
    """Plays (item, route) pairs one after another in this process's environment."""

    def __init__(self, env: gym.Env):
        self.env = env

    def close(self) -> None:
        self.env.close()

    def observe(self, ask: Ask) -> np.ndarray:
        return self.env.reset(options=reset_options(ask))[0]

    def play(self, pairs: list[tuple[Ask, np.ndarray]]) -> list[tuple[float, dict] | Exception]:
        return [self.step(ask, action) for ask, action in pairs]

    def step(self, ask: Ask, action: np.ndarray) -> tuple[float, dict] | Exception:
        try:
            self.env.reset(options=reset_options(ask))
            _, reward, _, _, info = self.env.step(action)
            return float(reward), info
        except Exception as exc:
            return exc


def reset_options(ask: Ask) -> dict:
    index, wording = ask
    return {"index": index, "wording": wording}


def collect(steps: Steps, policy: torch.nn.Module, asks: list[Ask], group_size: int,
            sampler: torch.Generator | None = None) -> dict:
    """Sample ``group_size`` routes per asked item (from ``sampler``, here, so the routes never
    depend on where they are played) and play them; an item's routes form its group. A step that raises (an unreadable item, say) is skipped
    and counted: it costs one sample, never the run."""
    obs, actions, rewards, groups, correct, calls = [], [], [], [], [], []
    failures, answer_errors, last_error = 0, 0, ""
    tool_failures: dict[str, str] = {}  # tool -> its last error: the answer went on without it
    sampled = []
    for ask in asks:
        try:
            x = torch.as_tensor(steps.observe(ask))
        except Exception as exc:
            failures += group_size
            last_error = f"item {ask[0]}: {type(exc).__name__}: {exc}"
            print(f"skipping {last_error}", file=sys.stderr)
            continue
        with torch.no_grad():
            sampled += [(ask, x, action) for action in sample_routes(policy(x), group_size, sampler)]
    played = steps.play([(ask, action.numpy().astype(np.int8)) for ask, _, action in sampled])
    for ((index, _), x, action), result in zip(sampled, played):
        if isinstance(result, Exception):
            failures += 1
            last_error = f"item {index}: {type(result).__name__}: {result}"
            print(f"skipping a step of {last_error}", file=sys.stderr)
            continue
        reward, info = result
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


def env_kwargs(args: Args, dataset: str) -> dict:
    """What `gym.make(args.env, ...)` is given, here and on every Ray worker."""
    return dict(dataset=dataset, reasoner=args.reasoner, reward=args.reward, cost_per_call=args.cost_per_call,
                cost_per_second=args.cost_per_second, num_items=args.num_items)


def make_steps(args: Args, dataset: str) -> Steps:
    """Where this run plays its routes: in this process, or on Ray workers with ``--ray``."""
    kwargs = env_kwargs(args, dataset)
    env = gym.make(args.env, **kwargs)
    if args.ray is None:
        return LocalSteps(env)
    from .ray_steps import RaySteps

    return RaySteps(env, args.env, kwargs, args.ray, args.ray_workers,
                    args.ray_num_cpus, args.ray_num_gpus)
