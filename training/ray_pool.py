"""Ray, shared by training (rollouts on workers, `ray_steps`) and evaluation (answers on
workers, `evals/ray_answers`): joining a cluster, and a pool of actors that each take the next
call as soon as they are free.

Ray is optional (``pip install 'audiorouter[ray]'``): nothing imports it until a ``--ray`` flag
asks for it. A worker whose process dies is restarted and its call retried on the new process
(Ray's actor restarts and task retries); a call that still fails comes back as its exception.
"""

from __future__ import annotations

import os
from collections import deque
from typing import Any, Hashable, Sequence

from audiorouter.tools.errors import AudioRouterError

# What a worker needs to find the same models and caches as the driver.
FORWARDED_ENV = ("AUDIOROUTER_", "HF_", "TRANSFORMERS_", "XDG_CACHE_HOME", "PYTHONPATH")
RESTARTS = 3  # per worker, and retries per call, before a call's failure is final


class RayNotInstalled(AudioRouterError, ImportError):
    """``--ray`` without Ray installed."""


def import_ray():
    try:
        import ray
    except ImportError:
        raise RayNotInstalled("--ray needs Ray: pip install 'audiorouter[ray]' (or ray>=2.40), "
                              "or run without --ray") from None
    return ray


def connect(address: str) -> Any:
    """Join the Ray cluster at ``address`` (``auto``: the one this machine belongs to; ``local``:
    start one in this process), unless this process already has."""
    ray = import_ray()
    if not ray.is_initialized():
        ray.init(address=None if address == "local" else address, ignore_reinit_error=True,
                 log_to_driver=False)
    return ray


def use_worker_cores(cores: float) -> None:
    """On a worker: llama.cpp uses the cores Ray gave it, not every core of the node, unless the
    user chose a thread count."""
    os.environ.setdefault("AUDIOROUTER_LLM_THREADS", str(max(1, int(cores))))


class WorkerPool:
    """``workers`` actors of ``cls`` (built with ``args``), each given ``num_cpus`` and
    ``num_gpus`` and this process's project environment variables (models, caches, settings as
    they are now); calls wait in a queue and go to whichever worker is free."""

    def __init__(self, address: str, cls: type, args: tuple, workers: int,
                 num_cpus: float = 1, num_gpus: float = 0):
        self.ray = connect(address)
        env_vars = {k: v for k, v in os.environ.items() if k.startswith(FORWARDED_ENV)}
        actor = self.ray.remote(num_cpus=num_cpus, num_gpus=num_gpus, max_restarts=RESTARTS,
                                max_task_retries=RESTARTS, runtime_env={"env_vars": env_vars})(cls)
        self.workers = [actor.remote(*args) for _ in range(workers)]
        self.idle = list(self.workers)
        self.queue: deque[tuple[Hashable, str, tuple]] = deque()
        self.running: dict[Any, tuple[Hashable, Any]] = {}

    def submit(self, key: Hashable, method: str, *args) -> None:
        self.queue.append((key, method, args))
        self._start()

    @property
    def pending(self) -> int:
        """Calls submitted and not yet collected."""
        return len(self.queue) + len(self.running)

    def collect(self, block: bool) -> list[tuple[Hashable, Any]]:
        """Finished calls as (key, result or the exception it raised), in the order they
        finished: those done now, or with ``block`` at least one (while any is pending)."""
        finished = []
        while self.running:
            wait_s = None if block and not finished else 0
            done, _ = self.ray.wait(list(self.running), num_returns=1, timeout=wait_s)
            if not done:
                break
            key, worker = self.running.pop(done[0])
            self.idle.append(worker)
            try:
                finished.append((key, self.ray.get(done[0])))
            except Exception as exc:  # the call raised, or its worker died past its restarts
                finished.append((key, exc))
            self._start()
        return finished

    def map(self, method: str, calls: Sequence[tuple]) -> list[Any]:
        """``method`` on each argument tuple, the results (or exceptions) in the calls' order."""
        for position, args in enumerate(calls):
            self.submit(position, method, *args)
        results = {}
        while self.pending:
            results.update(self.collect(block=True))
        return [results[position] for position in range(len(calls))]

    def on_each(self, method: str) -> list[Any]:
        """``method`` once on every worker (e.g. its process id)."""
        return self.ray.get([getattr(w, method).remote() for w in self.workers])

    def close(self) -> None:
        for worker in self.workers:
            self.ray.kill(worker)

    def _start(self) -> None:
        while self.queue and self.idle:
            worker = self.idle.pop()
            key, method, args = self.queue.popleft()
            self.running[getattr(worker, method).remote(*args)] = (key, worker)
