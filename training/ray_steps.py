"""Rollouts on Ray: each worker holds its own ``AudioRouter-v0`` (tools and reasoner loaded once
per worker) and plays (item, route) pairs; the driver samples every route and updates the
policy, so a run's routes, rewards and weights do not depend on how many workers play them.

    python training/train_router.py --env AudioRouter-v0 --ray local --ray-workers 2
    python training/train_router.py --env AudioRouter-v0 --ray auto      # a running cluster

A worker that dies is restarted and its pair replayed (Ray's actor restarts and task
retries); a pair that still fails costs one sample, as a failing step does locally.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from audiorouter.tools.errors import AudioRouterError

# What a worker needs to find the same models and caches as the driver.
FORWARDED_ENV = ("AUDIOROUTER_", "HF_", "TRANSFORMERS_", "XDG_CACHE_HOME", "PYTHONPATH")


class RayNotInstalled(AudioRouterError, ImportError):
    """``--ray`` without Ray installed."""


def import_ray():
    try:
        import ray
    except ImportError:
        raise RayNotInstalled("--ray needs Ray: pip install 'audiorouter[ray]' (or ray>=2.40), "
                              "or train without --ray") from None
    return ray


def connect(address: str) -> Any:
    """Join the Ray cluster at ``address`` (``auto``: the one this machine belongs to; ``local``:
    start one in this process), forwarding the project's environment variables to workers."""
    ray = import_ray()
    if not ray.is_initialized():
        env_vars = {k: v for k, v in os.environ.items() if k.startswith(FORWARDED_ENV)}
        ray.init(address=None if address == "local" else address, runtime_env={"env_vars": env_vars},
                 ignore_reinit_error=True, log_to_driver=False)
    return ray


class EnvWorker:
    """One environment on one Ray worker (made a Ray actor by `RaySteps`)."""

    def __init__(self, env_id: str, env_kwargs: dict, threads: int):
        import gymnasium as gym

        import audiorouter.envs  # noqa: F401  (registers AudioRouter-v0)

        os.environ.setdefault("AUDIOROUTER_LLM_THREADS", str(threads))  # no oversubscribed cores
        self.env = gym.make(env_id, **env_kwargs)

    def play(self, index: int, action: np.ndarray) -> tuple[float, dict]:
        self.env.reset(options={"index": index})
        _, reward, _, _, info = self.env.step(action)
        return float(reward), info

    def pid(self) -> int:
        return os.getpid()


class RaySteps:
    """Plays pairs on ``workers`` Ray actors, each given ``num_cpus`` and ``num_gpus``; the
    driver's ``env`` computes the observations."""

    def __init__(self, env, env_id: str, env_kwargs: dict, address: str, workers: int,
                 num_cpus: float = 1, num_gpus: float = 0):
        ray = self.ray = connect(address)
        actor = ray.remote(num_cpus=num_cpus, num_gpus=num_gpus, max_restarts=3,
                           max_task_retries=3)(EnvWorker)
        self.env = env
        self.workers = [actor.remote(env_id, env_kwargs, max(1, int(num_cpus))) for _ in range(workers)]

    def observe(self, index: int) -> np.ndarray:
        return self.env.reset(options={"index": index})[0]

    def play(self, pairs: list[tuple[int, np.ndarray]]) -> list[tuple[float, dict] | Exception]:
        """Each free worker takes the next pair; results land in the pairs' order."""
        results: list[Any] = [None] * len(pairs)
        todo, running = list(enumerate(pairs)), {}
        idle = list(self.workers)
        while todo or running:
            while todo and idle:
                worker = idle.pop()
                position, (index, action) = todo.pop(0)
                running[worker.play.remote(index, action)] = (position, worker)
            (done,), _ = self.ray.wait(list(running), num_returns=1)
            position, worker = running.pop(done)
            idle.append(worker)
            try:
                results[position] = self.ray.get(done)
            except Exception as exc:  # the step raised, or its worker died past its restarts
                results[position] = exc
        return results

    def pids(self) -> list[int]:
        return self.ray.get([w.pid.remote() for w in self.workers])

    def close(self) -> None:
        for worker in self.workers:
            self.ray.kill(worker)
        self.env.close()
