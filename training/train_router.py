"""Train the AudioRouter router with reinforcement learning against ``AudioRouter-v0``.

    python training/train_router.py --env AudioRouter-v0                 # GRPO, 64 items
    python training/train_router.py --env AudioRouter-v0 --algorithm ppo --num-items 128

Each batch takes some training items; for each item the policy samples ``group-size`` routes
(which tools to call), the environment answers the item with each route through the frozen
graph and pays the reward; GRPO scores each route against its group's mean, PPO against a
learned value. The run directory keeps ``state.safetensors`` (resumed automatically), ``progress.csv``
and, at the end, ``router.pt`` (what `LearnedRouter` loads) and ``dev.json`` (the greedy
router on the dev split, next to no tools and all tools).
"""

from __future__ import annotations

import csv
import json
import math
import shlex
import signal
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import gymnasium as gym
import numpy as np
import torch
import tyro
from tqdm import tqdm

import audiorouter.envs  # noqa: F401  (registers AudioRouter-v0)
from audiorouter.agent.policy import policy_network, save_router
from audiorouter.data import build_benchmark
from audiorouter.envs import default_dataset
from audiorouter.tools.errors import AudioRouterError
from audiorouter.tools.registry import tool_versions
from audiorouter.training.algorithms import (clipped_policy_loss, group_advantages, log_prob,
                                             sample_routes, tool_distribution, value_network)
from audiorouter.training.state import load_state, save_state

STATE_FILE = "state.safetensors"


@dataclass
class Args:
    env: str = "AudioRouter-v0"
    """Gymnasium id of the environment"""
    dataset: str | None = None
    """training items (MMAU-style .json/.jsonl); default: the built-in benchmark's train split,
    built on first use"""
    dev_dataset: str | None = None
    """items of the final evaluation; default: dev.json beside the training file"""
    num_items: int = 32
    """how many training items (taken skill by skill)"""
    dev_items: int | None = 32
    """how many dev items to evaluate on at the end (None: all, 0: skip)"""
    reasoner: str | None = None
    """cascade reasoner model name or GGUF path; default: the graph's default reasoner"""
    algorithm: Literal["grpo", "ppo"] = "grpo"
    """grpo: advantage against the group of routes sampled per item; ppo: against a critic"""
    reward: Literal["relative", "absolute"] = "relative"
    """relative: gain over the no-tool answer (the paper's); absolute: correctness"""
    cost_per_call: float = 0.01
    """reward price of each tool call (makes the router drop tools that do not help)"""
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


# Arguments that fix the batch plan or the network's shape: a run resumed under other values
# would skip or repeat items, or not load its own weights.
PLAN_ARGS = ("dataset", "num_items", "epochs", "items_per_batch", "seed", "algorithm", "hidden")


class ResumeError(AudioRouterError):
    """A run folder's saved state was made with arguments this run cannot continue."""


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
                    ("dev_items", args.dev_items is None or args.dev_items >= 0, "0 or more"),
                    ("cost_per_call", args.cost_per_call >= 0, "0 or more"),
                    ("cost_per_second", args.cost_per_second >= 0, "0 or more")]
                if not ok]
    if problems:
        raise ArgumentError("; ".join(problems))


class Interrupted(KeyboardInterrupt):
    """Ctrl-C: the run stopped; its last saved batch is where it resumes."""


@contextmanager
def stop_on_interrupt():
    """Ctrl-C stops the run at once (the batch in progress is dropped and redone on resume,
    its answers already cached), except while the log and the state are written: then right
    after. Yields the guard that `writing` takes."""
    guard = {"writing": False, "asked": False}

    def stop(signum, frame):
        if guard["writing"]:
            guard["asked"] = True
            return
        raise Interrupted

    try:
        previous = signal.signal(signal.SIGINT, stop)
    except ValueError:  # not the main thread: Ctrl-C is not ours to handle
        yield guard
        return
    try:
        yield guard
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def writing(guard: dict):
    """A stretch that Ctrl-C must not cut (the log row and the saved state of one batch)."""
    guard["writing"] = True
    try:
        yield
    finally:
        guard["writing"] = False
        if guard["asked"]:
            raise Interrupted


def ensure_dataset(args: Args) -> str:
    """The training file; the default benchmark is built here on first use."""
    if args.dataset:
        return args.dataset
    path = default_dataset()
    if not path.is_file():
        print(f"building the benchmark into {path.parent} (once)", file=sys.stderr)
        build_benchmark(path.parent, per_skill=40, seed=0)
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


def evaluate_greedy(env: gym.Env, policy: torch.nn.Module, threshold: float) -> dict:
    """The trained router (tools whose probability reaches ``threshold``) against no tools and
    all tools, on every item of ``env``. An item that raises is skipped and counted."""
    base = env.unwrapped
    rows, failures = [], 0
    for index, episode in enumerate(base.episodes):
        try:
            obs, _ = env.reset(options={"index": index})
            with torch.no_grad():
                action = (torch.sigmoid(policy(torch.as_tensor(obs))) >= threshold).numpy().astype(np.int8)
            _, reward, _, _, info = env.step(action)
            env.reset(options={"index": index})
            _, _, _, _, every = env.step(np.ones(len(base.tools), dtype=np.int8))
        except Exception as exc:
            failures += 1
            print(f"dev: skipping item {episode.id}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        rows.append({"item": episode.id, "group": episode.group, "tools": info["tools_used"],
                     "learned": info["correct"], "none": info["baseline"]["correct"],
                     "all": every["correct"], "reward": reward})
    n = max(len(rows), 1)
    return {"items": len(rows), "failures": failures,
            "accuracy": {k: sum(r[k] for r in rows) / n for k in ("none", "learned", "all")},
            "calls_per_item": {"learned": sum(len(r["tools"]) for r in rows) / n, "all": len(base.tools)},
            "mean_reward": sum(r["reward"] for r in rows) / n, "rows": rows}


def main(args: Args) -> dict:
    check_args(args)
    run_dir = Path(args.run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    dataset = ensure_dataset(args)
    env = make_env(args, dataset, args.num_items)
    obs_dim, tools = env.observation_space.shape[0], env.unwrapped.tools
    # The seed alone fixes the initial weights and the sampled routes, whatever the environment's
    # models drew from torch's global generator while loading (which depends on the caches).
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(args.seed)
        policy = policy_network(obs_dim, len(tools), args.hidden)
        critic = value_network(obs_dim, args.hidden) if args.algorithm == "ppo" else None
    sampler = torch.Generator().manual_seed(args.seed)
    params = list(policy.parameters()) + (list(critic.parameters()) if critic else [])
    optimizer = torch.optim.Adam(params, lr=args.learning_rate)
    items = [e.id for e in env.unwrapped.episodes]
    plan = batches(len(items), args)
    per_epoch = math.ceil(len(items) / args.items_per_batch)

    state_path, log_path = run_dir / STATE_FILE, run_dir / "progress.csv"
    start = 0
    if state_path.exists():
        state = load_state(state_path)  # tensors and JSON: no pickle, no code
        _check_resumable(run_dir, state, args, items)
        if state.get("tools", tool_versions()) != tool_versions():
            print(f"resuming {run_dir} with other tool versions ({state['tools']} then, "
                  f"{tool_versions()} now): the rewards before and after differ in kind; "
                  "a fresh --run-dir keeps the run clean", file=sys.stderr)
        policy.load_state_dict(state["policy"])
        if critic is not None and state.get("critic"):
            critic.load_state_dict(state["critic"])
        optimizer.load_state_dict(state["optimizer"])
        for group in optimizer.param_groups:  # the step size given now, not the saved one
            group["lr"] = args.learning_rate
        sampler.set_state(state["sampler_rng"])
        start = state["batch"]
    log = _CsvLog(log_path, keep_below=start)

    if start == len(plan):
        print(f"{run_dir} holds a finished run of {len(plan)} batches: nothing to train",
              file=sys.stderr)
    steps, t0 = 0, time.perf_counter()
    with stop_on_interrupt() as guard:
        for b in tqdm(range(start, len(plan)), desc="train", initial=start, total=len(plan),
                      disable=not args.progress):
            batch = collect(env, policy, plan[b], args.group_size, sampler)
            if steps == 0 and batch["answer_errors"] == batch["n"]:
                # nothing has worked yet: a set-up error (a missing model, say), not one bad item
                raise RuntimeError(f"every step of the first batch failed; the last: {batch['last_error']}")
            row = {"batch": b, "epoch": b // per_epoch, "samples": batch["n"],
                   "failures": batch["failures"] + batch["answer_errors"],
                   "tool_failures": len(batch["tool_failures"])}
            for tool, error in batch["tool_failures"].items():
                print(f"batch {b}: {tool} failed ({error}); its answers went on without it", file=sys.stderr)
            if batch["n"]:
                row.update(_update(policy, critic, optimizer, batch, args))
            steps += batch["n"]
            row["steps_per_s"] = round(steps / (time.perf_counter() - t0), 3)
            with writing(guard):
                log.write(row)
                if (b + 1) % args.save_every == 0 or b + 1 == len(plan):
                    _save_state(state_path, b + 1, policy, critic, optimizer, sampler, args, items)

    metadata = {"algorithm": args.algorithm, "trained_on": Path(dataset).name, "num_items": len(items),
                "items": items,
                "reward": args.reward, "cost_per_call": args.cost_per_call,
                "cost_per_second": args.cost_per_second, "seed": args.seed,
                "reasoner": env.unwrapped.reasoner.name, "tools": tool_versions(),
                "batches": len(plan)}
    result: dict = {"router": str(run_dir / "router.pt"), "metadata": metadata}

    def save_routers() -> None:
        for path in {run_dir / "router.pt", *([Path(args.save_router)] if args.save_router else [])}:
            save_router(path, policy, tools, hidden=args.hidden, obs_dim=obs_dim,
                        threshold=args.threshold, metadata=metadata)

    save_routers()  # the training is kept whatever the dev evaluation does
    dev_path = args.dev_dataset or str(Path(dataset).with_name("dev.json"))
    if args.dev_items != 0 and Path(dev_path).is_file():
        try:
            dev = evaluate_greedy(make_env(args, dev_path, args.dev_items), policy, args.threshold)
        except AudioRouterError as exc:  # an unusable dev file: the router stands without it
            print(f"no dev evaluation: {exc}", file=sys.stderr)
        else:
            (run_dir / "dev.json").write_text(json.dumps(dev, indent=1))
            metadata["dev"] = {k: dev[k] for k in ("items", "failures", "accuracy", "calls_per_item",
                                                   "mean_reward")}
            result["dev"] = metadata["dev"]
            print(json.dumps(metadata["dev"]))
            save_routers()
    env.close()
    return result


def _check_resumable(run_dir: Path, state: dict, args: Args, items: list[str]) -> None:
    """Refuse what would make the resumed run another run; say what else changed."""
    if state.get("items", items) != items:  # states saved before items were kept are trusted
        raise ResumeError(f"{run_dir} holds a run on other items, or in another order, than "
                          f"{args.dataset} gives now: rebuild the training file it was made with, "
                          "or use a fresh --run-dir")
    saved = state["args"]
    changed = {k: (saved.get(k), v) for k, v in asdict(args).items() if saved.get(k) != v}
    fatal = {k: v for k, v in changed.items() if k in PLAN_ARGS}
    if fatal:
        raise ResumeError(f"{run_dir} holds a run made with other {', '.join(fatal)} ({fatal}, as "
                          "(then, now)): pass the same values to resume it, or a fresh --run-dir")
    if changed:
        print(f"resuming {run_dir} with changed arguments {changed}", file=sys.stderr)


def _update(policy, critic, optimizer, batch: dict, args: Args) -> dict:
    """``update_epochs`` clipped policy-gradient steps on one batch; returns what to log."""
    obs, actions, rewards = batch["obs"], batch["actions"], batch["rewards"]
    with torch.no_grad():
        old_log_prob = log_prob(policy(obs), actions)
        if critic is None:
            advantages = group_advantages(rewards, batch["groups"], args.scale_by_std)
        else:
            advantages = rewards - critic(obs).squeeze(-1)
            advantages = (advantages - advantages.mean()) / (advantages.std() + 1e-6) if len(rewards) > 1 else advantages
    for _ in range(args.update_epochs):
        logits = policy(obs)
        loss_pi = clipped_policy_loss(log_prob(logits, actions), old_log_prob, advantages, args.clip_coef)
        entropy = tool_distribution(logits).entropy().mean()  # per tool, like the policy loss
        loss = loss_pi - args.ent_coef * entropy
        if critic is not None:
            loss = loss + args.vf_coef * ((critic(obs).squeeze(-1) - rewards) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for g in optimizer.param_groups for p in g["params"]], 1.0)
        optimizer.step()
    with torch.no_grad():
        p_call = torch.sigmoid(policy(obs)).mean().item()
    return {"reward": round(rewards.mean().item(), 4), "correct": round(batch["correct"], 4),
            "calls": round(batch["calls"], 3), "loss": round(loss.item(), 4),
            "entropy": round(entropy.item(), 4), "p_call": round(p_call, 4)}


def _save_state(path: Path, next_batch: int, policy, critic, optimizer, sampler: torch.Generator,
                args: Args, items: list[str]) -> None:
    save_state(path, {"batch": next_batch, "policy": policy.state_dict(),
                      "critic": critic.state_dict() if critic is not None else None,
                      "optimizer": optimizer.state_dict(), "sampler_rng": sampler.get_state(),
                      "args": asdict(args), "items": items, "tools": tool_versions()})


class _CsvLog:
    """progress.csv, one row per batch. On resume, rows of batches after the saved state (done,
    then lost in an interruption) are dropped, by writing the kept rows to a new file that
    replaces the old one: they will be redone."""

    FIELDS = ["batch", "epoch", "samples", "failures", "tool_failures", "reward", "correct", "calls", "loss",
              "entropy", "p_call", "steps_per_s"]

    def __init__(self, path: Path, keep_below: int):
        self.path = path
        rows = []
        if path.exists():
            with path.open(newline="") as f:
                rows = [r for r in csv.DictReader(f) if int(r["batch"]) < keep_below]
        tmp = path.with_suffix(".tmp")  # a kill while rewriting leaves the old file whole
        with tmp.open("w", newline="") as f:
            writer = csv.DictWriter(f, self.FIELDS)
            writer.writeheader()
            writer.writerows(rows)
        tmp.replace(path)

    def write(self, row: dict) -> None:
        with self.path.open("a", newline="") as f:
            csv.DictWriter(f, self.FIELDS).writerow({k: row.get(k, "") for k in self.FIELDS})


def cli() -> None:
    """The command line: usage errors and Ctrl-C end in one line that says what to do."""
    args = tyro.cli(Args)
    try:
        result = main(args)
    except ArgumentError as exc:
        print(f"error: {exc} (see --help)", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:  # Interrupted included
        print(f"\ninterrupted; every finished batch is saved in {args.run_dir}/{STATE_FILE}. Resume "
              f"with the same command:\n  {shlex.join([sys.executable, *sys.argv])}", file=sys.stderr)
        sys.exit(130)
    except AudioRouterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
    print(f"router: {result['router']}", file=sys.stderr)


if __name__ == "__main__":
    cli()
