"""Taking groups in turn: the order the layers above use for datasets, so that every prefix
of a list (a training budget, an interrupted evaluation) covers its groups evenly."""

from __future__ import annotations

from typing import Callable, Hashable, Iterable, TypeVar

T = TypeVar("T")


def in_turn(things: Iterable[T], key: Callable[[T], Hashable], per_group: int | None = None) -> list[T]:
    """``things`` taking their groups (by ``key``, in order of first appearance) in turn, each
    group's own order kept and at most ``per_group`` of each (``None``: all)."""
    queues: dict[Hashable, list[T]] = {}
    for thing in things:
        queues.setdefault(key(thing), []).append(thing)
    rounds = max(map(len, queues.values()), default=0)
    if per_group is not None:
        rounds = min(rounds, per_group)
    return [queue[k] for k in range(rounds) for queue in queues.values() if k < len(queue)]
