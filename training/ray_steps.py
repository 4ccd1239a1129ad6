"""Rollouts on Ray: each worker holds its own ``AudioRouter-v0`` (tools and reasoner loaded once
per worker) and plays (question, route) pairs; the driver samples every route and updates the
policy, so a run's routes, rewards and weights do not depend on how many workers play them.

    python training/train_router.py --env AudioRouter-v0 --ray local --ray-workers 2
    python training/train_router.py --env AudioRouter-v0 --ray auto      # a running cluster

A worker that dies is restarted and its pair replayed (`ray_pool`); a pair that still fails
costs one sample, as a failing step does locally.
"""

from __future__ import annotations

import os

import numpy as np

from .ray_pool import WorkerPool, use_worker_cores
from .rollouts import Ask, reset_options


class EnvWorker:
    """One environment on one Ray worker (made a Ray actor by `WorkerPool`)."""

    def __init__(self, env_id: str, env_kwargs: dict, cores: float):
        import gymnasium as gym

        import audiorouter.envs  # noqa: F401  (registers AudioRouter-v0)

        use_worker_cores(cores)
        self.env = gym.make(env_id, **env_kwargs)

    def play(self, ask: Ask, action: np.ndarray) -> tuple[float, dict]:
        self.env.reset(options=reset_options(ask))
        _, reward, _, _, info = self.env.step(action)
        return float(reward), info

    def pid(self) -> int:
        return os.getpid()


class RaySteps:
    """Plays pairs on ``workers`` Ray actors, each given ``num_cpus`` and ``num_gpus``; the
    driver's ``env`` computes the observations."""

    def __init__(self, env, env_id: str, env_kwargs: dict, address: str, workers: int,
                 num_cpus: float = 1, num_gpus: float = 0):
        self.env = env
        self.pool = WorkerPool(address, EnvWorker, (env_id, env_kwargs, num_cpus), workers, num_cpus, num_gpus)

    def observe(self, ask: Ask) -> np.ndarray:
        return self.env.reset(options=reset_options(ask))[0]

    def play(self, pairs: list[tuple[Ask, np.ndarray]]) -> list[tuple[float, dict] | Exception]:
        """Each free worker takes the next pair; results land in the pairs' order."""
        return self.pool.map("play", pairs)

    def pids(self) -> list[int]:
        return self.pool.on_each("pid")

    def close(self) -> None:
        self.pool.close()
        self.env.close()
