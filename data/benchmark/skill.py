"""A benchmark skill: a small declarative unit, like an lm-evaluation-harness task.

A skill draws an item in two steps, and the order is the point. `draw` builds the option set
first, then draws the answer uniformly among the options, then decides everything the audio
needs for that answer (voices, kit, notes ...): the result, a `Draft`, is cheap and holds no
audio. `render` then makes the audio from the draft alone. Because the answer never depends on
how the options were built, no answer-blind heuristic (first option, middle number, longest
string ...) can beat chance, and drafts can be checked for that without rendering anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Sequence, TypeVar

import numpy as np

from .sources import Sources

Task = Literal["speech", "sound", "music"]
T = TypeVar("T")


@dataclass(frozen=True)
class Draft:
    """What an item asks and what its audio must contain, decided before any rendering.

    `spec` is JSON-ready and is all `render` gets; it lands in the item's meta together
    with `sources`, the ids of the real sources the audio uses (see sources.py).
    """

    choices: list[str]
    answer: str
    spec: dict[str, Any]
    sources: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Planned:
    """A draft with its question: everything about an item except the audio."""

    question: str
    draft: Draft
    meta: dict[str, Any]


@dataclass(frozen=True)
class Example:
    """One rendered item: 16 kHz mono audio, question, options, answer and ground truth."""

    audio: np.ndarray
    question: str
    choices: list[str]
    answer: str
    meta: dict[str, Any]


# What a renderer returns: the audio and extra ground truth for meta (e.g. onset times).
Rendered = tuple[np.ndarray, dict[str, Any]]
Renderer = Callable[[dict[str, Any], np.random.Generator], Rendered]


@dataclass(frozen=True)
class Skill:
    """One fine-grained perception skill: how to draw, ask and render its items.

    Templates are `str.format` strings over the draft's spec; one is drawn per item,
    independently of the answer.
    """

    name: str
    task: Task
    category: str
    sub_category: str
    templates: tuple[str, ...]
    draw: Callable[[np.random.Generator, Sources], Draft]
    render: Renderer
    difficulty: str = "medium"

    def plan(self, rng: np.random.Generator, sources: Sources) -> Planned:
        """Draw an item without its audio (cheap: no synthesis)."""
        draft = self.draw(rng, sources)
        if len(set(draft.choices)) != len(draft.choices) or draft.answer not in draft.choices:
            raise ValueError(f"skill {self.name} drew bad options {draft.choices} "
                             f"for answer {draft.answer!r}")
        template = int(rng.integers(len(self.templates)))
        meta = {"skill": self.name, "template": template, **draft.spec,
                "sources": sorted(set(draft.sources))}
        return Planned(self.templates[template].format(**draft.spec), draft, meta)

    def make(self, rng: np.random.Generator, sources: Sources) -> Example:
        """Draw an item and render its audio."""
        planned = self.plan(rng, sources)
        audio, extra = self.render(planned.draft.spec, rng)
        return Example(np.asarray(audio, dtype=np.float32), planned.question,
                       planned.draft.choices, planned.draft.answer, {**planned.meta, **extra})


def pick(rng: np.random.Generator, options: Sequence[T]) -> T:
    """One option, uniformly: how the answer is drawn once the options exist."""
    return options[int(rng.integers(len(options)))]


def sample(rng: np.random.Generator, pool: Sequence[T], k: int) -> list[T]:
    """`k` distinct members of `pool` in random order."""
    if k > len(pool):
        raise ValueError(f"cannot draw {k} distinct items from a pool of {len(pool)}")
    return [pool[i] for i in rng.permutation(len(pool))[:k]]


def shuffled(rng: np.random.Generator, items: Sequence[T]) -> list[T]:
    """`items` in random order: the option order of categorical skills."""
    return sample(rng, items, len(items))
