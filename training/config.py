"""The training run's arguments: one typed dataclass whose fields document themselves (tyro turns
them into ``--flags``), and the checks that refuse impossible values before anything loads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from audiorouter.tools.errors import AudioRouterError


@dataclass
class Args:
    env: str = "AudioRouter-v0"
    """Gymnasium id of the environment"""
    dataset: str | None = None
    """training items (MMAU-style .json/.jsonl); default: the built-in benchmark's train split,
    built on first use"""
    num_items: int = 32
    """how many training items (taken skill by skill)"""
    paraphrases: bool = False
    """ask each item, every epoch, in its question or one of its paraphrases (an item's
    `paraphrases` field; the built-in train split lists 10 per item), so the router meets
    many ways of asking one thing; with the shipped 64-item recipe it trained a router level
    with the shipped one on dev, in trained and in held-out wordings alike (docs/results.md)"""
    reasoner: str | None = None
    """cascade reasoner model name or GGUF path; default: the graph's default reasoner"""
    algorithm: Literal["grpo", "ppo"] = "grpo"
    """grpo: advantage against the group of routes sampled per item; ppo: against a critic"""
    reward: Literal["relative", "absolute"] = "relative"
    """relative: gain over the no-tool answer (the paper's); absolute: correctness"""
    cost_per_call: float = 0.05
    """reward price of each tool call (makes the router drop tools that do not help); at 0.05
    the shipped 64-item router calls 2.8 of 10 tools on the dev split and is as accurate as all
    ten (docs/results.md); at 0.01 a router kept 6.2 of them"""
    cost_per_second: float = 0.0
    """reward price per second of tool computation"""
    epochs: int = 3
    """passes over the training items"""
    group_size: int = 4
    """routes sampled per item in a batch (GRPO needs at least 2)"""
    items_per_batch: int = 8
    """items per policy update"""
    update_epochs: int = 4
    """gradient steps on each batch (the clipped surrogate keeps them close to the sampler)"""
    learning_rate: float = 3e-3
    """Adam step size"""
    clip_coef: float = 0.2
    """surrogate clipping range"""
    ent_coef: float = 0.1
    """entropy bonus per tool (the mean of the tools' coin entropies): keeps exploring tools
    early on"""
    vf_coef: float = 0.5
    """value-loss weight (PPO)"""
    scale_by_std: bool = False
    """GRPO: divide advantages by the group's standard deviation. Off by default, as in
    Dr. GRPO: in a group whose routes are all right (or all wrong) only the per-call cost
    differs, and dividing by its tiny spread would blow that cost up to the size of a right
    answer, so the router would learn to drop tools it needs"""
    hidden: int = 128
    """policy hidden units"""
    threshold: float = 0.5
    """the trained router calls a tool when its probability reaches this"""
    seed: int = 0
    """seed of item order, sampling and initial weights"""
    run_dir: str = "runs/router"
    """checkpoints, logs and results; rerunning with the same folder resumes"""
    save_router: str | None = None
    """where to write the router checkpoint as well (e.g. agent/checkpoints/router.pt)"""
    save_every: int = 1
    """save the training state every this many batches"""
    progress: bool = True
    """show a progress bar"""
    ray: str | None = None
    """play the routes on Ray workers: 'local' (a Ray instance on this machine), 'auto' (the
    cluster this machine belongs to) or a cluster address; needs `pip install audiorouter[ray]`.
    The run's routes and router are the same as without it"""
    ray_workers: int = 2
    """Ray workers, each holding its own environment (tools and reasoner)"""
    ray_num_cpus: float = 1.0
    """CPUs per Ray worker (also its reasoner's threads)"""
    ray_num_gpus: float = 0.0
    """GPUs per Ray worker (1 runs one reasoner per GPU)"""


# Arguments that fix the batch plan, the network's shape or the reward: a run resumed under
# other values would skip or repeat items, not load its own weights, or chase another objective
# halfway through (a changed default of --cost-per-call would otherwise slip in unnoticed).
PLAN_ARGS = ("dataset", "num_items", "paraphrases", "epochs", "items_per_batch", "seed", "algorithm",
             "hidden", "reward", "cost_per_call", "cost_per_second")


class ArgumentError(AudioRouterError, ValueError):
    """Arguments no run can be made with; the message says which and why."""


def check_args(args: Args) -> None:
    """Refuse impossible arguments before anything loads."""
    problems = [f"--{name.replace('_', '-')} must be {rule}, not {getattr(args, name)}"
                for name, ok, rule in [
                    ("num_items", args.num_items >= 1, "at least 1"),
                    ("epochs", args.epochs >= 1, "at least 1"),
                    ("group_size", args.group_size >= (2 if args.algorithm == "grpo" else 1),
                     "at least 2 for GRPO, which compares the routes sampled for one item"),
                    ("items_per_batch", args.items_per_batch >= 1, "at least 1"),
                    ("update_epochs", args.update_epochs >= 1, "at least 1"),
                    ("learning_rate", args.learning_rate > 0, "positive"),
                    ("clip_coef", args.clip_coef > 0, "positive"),
                    ("hidden", args.hidden >= 1, "at least 1"),
                    ("threshold", 0 < args.threshold < 1, "between 0 and 1"),
                    ("save_every", args.save_every >= 1, "at least 1"),
                    ("cost_per_call", args.cost_per_call >= 0, "0 or more"),
                    ("cost_per_second", args.cost_per_second >= 0, "0 or more"),
                    ("ray_workers", args.ray_workers >= 1, "at least 1"),
                    ("ray_num_cpus", args.ray_num_cpus > 0, "positive"),
                    ("ray_num_gpus", args.ray_num_gpus >= 0, "0 or more")]
                if not ok]
    if problems:
        raise ArgumentError("; ".join(problems))
