"""Answers on Ray: each worker holds the reasoner (its model loaded once per worker) and the
tools, and answers whole items given their routes and decoded audio; the driver routes and
keeps the only writers of the run's files, so a run on any number of workers writes what a
run here writes, in the same order.

    audiorouter eval --dataset bench/test.json --ray local --ray-workers 2
    audiorouter eval --dataset bench/test.json --ray auto        # a running cluster

Workers receive the decoded clip, so only the driver reads the dataset's audio; tool and
reasoner caches are each worker's (``AUDIOROUTER_CACHE`` is forwarded: point it at shared
storage to share them). A worker that dies is restarted and its item redone (`ray_pool`);
an item that still fails gets error records, which the next run retries.
"""

from __future__ import annotations

import os
from collections import Counter
from contextlib import contextmanager
from typing import Iterator, Mapping

from audiorouter.agent.reasoners.answer import Reasoner
from audiorouter.agent.routers.routing import Route
from audiorouter.data.items import Item
from audiorouter.tools import Clip
from audiorouter.training.ray_pool import WorkerPool, use_worker_cores

from .records import failed_record
from .schedule import Answerer


class AnswerWorker:
    """One reasoner on one Ray worker (made a Ray actor by `WorkerPool`)."""

    def __init__(self, reasoner: Reasoner, cores: float):
        use_worker_cores(cores)
        self.answerer = Answerer(reasoner)

    def answer(self, item: Item, names: list[str], chosen: Mapping[str, tuple[Route, float]],
               clip: Clip) -> tuple[list[dict], dict[str, float]]:
        """The item's records and the seconds they took per stage."""
        before = Counter(self.answerer.stage_s)
        records = self.answerer.answer(item, names, chosen, clip)
        return records, {k: v - before[k] for k, v in self.answerer.stage_s.items()}

    def pid(self) -> int:
        return os.getpid()


class RayAnswers:
    """`schedule.Answers` on ``workers`` Ray actors, each given ``num_cpus`` and ``num_gpus``
    (one GPU each runs one `QwenOmniReasoner` per GPU)."""

    def __init__(self, reasoner: Reasoner, address: str = "local", workers: int = 1,
                 num_cpus: float = 1, num_gpus: float = 0):
        self.pool = WorkerPool(address, AnswerWorker, (reasoner, num_cpus), workers, num_cpus, num_gpus)
        self.stage_s: Counter[str] = Counter()
        self.submitted: dict[int, tuple[Item, list[str]]] = {}

    @property
    def pending(self) -> int:
        return self.pool.pending

    def submit(self, position: int, item: Item, names: list[str],
               chosen: Mapping[str, tuple[Route, float]], clip: Clip) -> None:
        self.submitted[position] = item, names
        self.pool.submit(position, "answer", item, names, dict(chosen), clip)

    def collect(self, block: bool) -> list[tuple[int, list[dict]]]:
        finished = []
        for position, result in self.pool.collect(block):
            item, names = self.submitted.pop(position)
            if isinstance(result, Exception):  # its worker died past its restarts
                finished.append((position, [failed_record(item, name, result) for name in names]))
                continue
            records, stage_s = result
            self.stage_s.update(stage_s)
            finished.append((position, records))
        return finished

    def pids(self) -> list[int]:
        return self.pool.on_each("pid")

    def close(self) -> None:
        self.pool.close()


@contextmanager
def answered_on(ray: str | None, reasoner: Reasoner, workers: int, num_cpus: float = 1,
                num_gpus: float = 0) -> Iterator[RayAnswers | None]:
    """Where items are answered: here (no ``ray``: None, `evaluate`'s default), or on Ray
    workers at ``ray``, closed after."""
    if ray is None:
        yield None
        return
    answers = RayAnswers(reasoner, ray, workers, num_cpus, num_gpus)
    try:
        yield answers
    finally:
        answers.close()
