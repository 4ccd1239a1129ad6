"""What every algorithm's run shares: the environment and its items, the seeded batch plan,
resuming from the run folder, one log row and saved state per batch, and the router at the end.

An algorithm's loop reads::

    run = Run(args)
    with run.seeded():
        policy = policy_network(run.obs_dim, len(run.tools), args.hidden)
    optimizer = ...
    with run:                                  # Ctrl-C stops at once, never mid-write
        for b in run.batches_from(run.resume({"policy": policy}, optimizer)):
            batch = collect(run.steps, policy, run.plan[b], args.group_size, run.sampler)
            run.record(b, batch, <the update's log entries>)
    return run.finish(policy)
"""

from __future__ import annotations

import math
import shlex
import sys
import time
from contextlib import ExitStack, contextmanager
from dataclasses import asdict
from pathlib import Path

import torch
from tqdm import tqdm

from audiorouter.agent.routers.learned import save_router
from audiorouter.tools.registry import tool_versions

from .config import Args, check_args
from .interrupt import stop_on_interrupt, writing
from .rollouts import batches, ensure_dataset, make_steps
from .run_state import LOG_FILE, STATE_FILE, CsvLog, check_resumable, load_state, save_state


class Run:
    """One training run in ``args.run_dir`` (resumed when it holds a saved state)."""

    def __init__(self, args: Args):
        check_args(args)
        self.args = args
        self.dir = Path(args.run_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.dataset = ensure_dataset(args)
        self.steps = make_steps(args, self.dataset)
        self.env = self.steps.env
        self.obs_dim, self.tools = self.env.observation_space.shape[0], self.env.unwrapped.tools
        self.items = [e.id for e in self.env.unwrapped.episodes]
        self.plan = batches([len(e.wordings) for e in self.env.unwrapped.episodes], args)
        self.per_epoch = math.ceil(len(self.items) / args.items_per_batch)
        self.sampler = torch.Generator().manual_seed(args.seed)
        self.networks: dict[str, torch.nn.Module | None] = {}
        self.optimizer: torch.optim.Optimizer | None = None
        self._exit = ExitStack()

    @contextmanager
    def seeded(self):
        """The seed alone fixes the initial weights, whatever the environment's models drew from
        torch's global generator while loading (which depends on the caches)."""
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(self.args.seed)
            yield

    def resume(self, networks: dict[str, torch.nn.Module | None], optimizer: torch.optim.Optimizer) -> int:
        """Load the saved state into ``networks`` and ``optimizer`` if there is one; the first
        batch still to train."""
        self.networks, self.optimizer = networks, optimizer
        path, start = self.dir / STATE_FILE, 0
        if path.exists():
            state = load_state(path)  # tensors and JSON: no pickle, no code
            check_resumable(self.dir, state, self.args, self.items, self.env.unwrapped.reasoner.name)
            if state["tools"] != tool_versions():
                print(f"resuming {self.dir} with other tool versions ({state['tools']} then, "
                      f"{tool_versions()} now): the rewards before and after differ in kind; "
                      "a fresh --run-dir keeps the run clean", file=sys.stderr)
            for name, net in networks.items():
                if net is not None:
                    net.load_state_dict(state[name])
            optimizer.load_state_dict(state["optimizer"])
            for group in optimizer.param_groups:  # the step size given now, not the saved one
                group["lr"] = self.args.learning_rate
            self.sampler.set_state(state["sampler_rng"])
            start = state["batch"]
        self.log = CsvLog(self.dir / LOG_FILE, keep_below=start)
        if start == len(self.plan):
            print(f"{self.dir} holds a finished run of {len(self.plan)} batches: nothing to train",
                  file=sys.stderr)
        return start

    def __enter__(self) -> Run:
        self.guard = self._exit.enter_context(stop_on_interrupt())
        self.played, self.t0 = 0, time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self._exit.close()

    def batches_from(self, start: int):
        return tqdm(range(start, len(self.plan)), desc="train", initial=start, total=len(self.plan),
                    disable=not self.args.progress)

    def record(self, b: int, batch: dict, update: dict) -> None:
        """Log batch ``b`` and save the state after it (together, or neither on Ctrl-C)."""
        if self.played == 0 and batch["answer_errors"] == batch["n"]:
            # nothing has worked yet: a set-up error (a missing model, say), not one bad item
            raise RuntimeError(f"every step of the first batch failed; the last: {batch['last_error']}")
        for tool, error in batch["tool_failures"].items():
            print(f"batch {b}: {tool} failed ({error}); its answers went on without it", file=sys.stderr)
        self.played += batch["n"]
        row = {"batch": b, "epoch": b // self.per_epoch, "samples": batch["n"],
               "failures": batch["failures"] + batch["answer_errors"],
               "tool_failures": len(batch["tool_failures"]), **update,
               "steps_per_s": round(self.played / (time.perf_counter() - self.t0), 3)}
        if batch["n"]:
            row.update(reward=round(batch["rewards"].mean().item(), 4), correct=round(batch["correct"], 4),
                       calls=round(batch["calls"], 3))
        with writing(self.guard):
            self.log.write(row)
            if (b + 1) % self.args.save_every == 0 or b + 1 == len(self.plan):
                self._save(b + 1)

    def _save(self, next_batch: int) -> None:
        nets = {name: (net.state_dict() if net is not None else None) for name, net in self.networks.items()}
        save_state(self.dir / STATE_FILE, {"batch": next_batch, **nets, "optimizer": self.optimizer.state_dict(),
                                           "sampler_rng": self.sampler.get_state(), "args": asdict(self.args),
                                           "items": self.items, "tools": tool_versions(),
                                           "reasoner": self.env.unwrapped.reasoner.name})

    def finish(self, policy: torch.nn.Module) -> dict:
        """Write the router (and its copy at ``--save-router``); say how to evaluate it on dev."""
        args = self.args
        metadata = {"algorithm": args.algorithm, "trained_on": Path(self.dataset).name,
                    "num_items": len(self.items), "items": self.items, "reward": args.reward,
                    "cost_per_call": args.cost_per_call, "cost_per_second": args.cost_per_second,
                    "seed": args.seed, "reasoner": self.env.unwrapped.reasoner.name, "tools": tool_versions(),
                    "batches": len(self.plan)}
        router = self.dir / "router.pt"
        for path in {router, *([Path(args.save_router)] if args.save_router else [])}:
            save_router(path, policy, self.tools, hidden=args.hidden, obs_dim=self.obs_dim,
                        threshold=args.threshold, metadata=metadata)
        self.steps.close()
        dev = Path(self.dataset).with_name("dev.json")
        print("evaluate it on the dev split beside no tools and all tools:\n  " + shlex.join(
            ["audiorouter", "eval", "--dataset", str(dev), "--routers", "none,all,learned",
             "--checkpoint", str(router), "--out", str(self.dir / "eval-dev")]), file=sys.stderr)
        return {"router": str(router), "metadata": metadata}
