"""Answer-blind heuristics: ways to pick an option from the question and options alone.

A fair multiple-choice item leaves every one of them at chance (1 / number of options); one
that beats chance on a skill shows that the options or wording give the answer away.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Callable

Heuristic = Callable[[dict], str]
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def first(item: dict) -> str:
    return item["choices"][0]


def last(item: dict) -> str:
    return item["choices"][-1]


def middle_number(item: dict) -> str:
    """The option with the median number in it (the lower one of two); else the middle one."""
    choices = item["choices"]
    numbers = [_NUMBER.search(c) for c in choices]
    if all(numbers):
        ranked = sorted(choices, key=lambda c: float(_NUMBER.search(c).group()))
        return ranked[(len(ranked) - 1) // 2]
    return choices[(len(choices) - 1) // 2]


def longest(item: dict) -> str:
    return max(item["choices"], key=len)


def shortest(item: dict) -> str:
    return min(item["choices"], key=len)


def question_overlap(item: dict) -> str:
    """The option sharing the most words with the question."""
    asked = set(re.findall(r"\w+", item["question"].lower()))
    return max(item["choices"], key=lambda c: len(asked & set(re.findall(r"\w+", c.lower()))))


HEURISTICS: dict[str, Heuristic] = {
    "first option": first, "last option": last, "middle number": middle_number,
    "longest option": longest, "shortest option": shortest, "question overlap": question_overlap,
}


def train_majority(train: list[dict]) -> Heuristic:
    """Pick the option that was most often the answer in `train` for the same skill."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for item in train:
        counts[item["meta"]["skill"]][item["answer"]] += 1

    def choose(item: dict) -> str:
        seen = counts[item["meta"]["skill"]]
        return max(item["choices"], key=lambda c: seen[c])

    return choose


def blind_accuracies(train: list[dict], test: list[dict]) -> dict[str, dict[str, float]]:
    """{skill: {heuristic: accuracy on `test`}}; "train majority" learns from `train`."""
    heuristics = {**HEURISTICS, "train majority": train_majority(train)}
    by_skill: dict[str, list[dict]] = defaultdict(list)
    for item in test:
        by_skill[item["meta"]["skill"]].append(item)
    return {skill: {name: sum(h(i) == i["answer"] for i in items) / len(items)
                    for name, h in heuristics.items()}
            for skill, items in by_skill.items()}
