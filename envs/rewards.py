"""Rewards of `AudioRouter-v0`: plain functions of what a route's answer achieved.

An `Outcome` is what one answer to one item achieved; a reward compares the chosen route's
outcome with the no-tool outcome (the paper's relative reward) or scores it alone, and a cost
is subtracted per tool call or per second of tool computation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal

RewardMode = Literal["relative", "absolute"]


@dataclass(frozen=True)
class Outcome:
    correct: bool
    p_right: float | None  # the reasoner's probability of the right option, where it has one
    calls: int = 0
    tool_seconds: float = 0.0  # compute time of the route's tools (charged the same when cached)


def absolute_reward(outcome: Outcome, baseline: Outcome) -> float:
    """1 for a right answer, 0 otherwise; the no-tool answer does not matter."""
    return float(outcome.correct)


def relative_reward(outcome: Outcome, baseline: Outcome) -> float:
    """How much the tools helped, in [-2, 2]: the gain in correctness over the no-tool answer
    (-1, 0 or 1) plus, where the reasoner gives probabilities, the gain in its probability of
    the right option. Correctness is what counts; the probability separates routes that are
    equally right or wrong (a calibrated small reasoner's probabilities move only a few points,
    so on their own they would be drowned by any cost per call). A route that changes nothing
    earns 0, so the tools must earn their keep."""
    gain = float(outcome.correct) - float(baseline.correct)
    if outcome.p_right is not None and baseline.p_right is not None:
        gain += outcome.p_right - baseline.p_right
    return gain


REWARDS: dict[str, Callable[[Outcome, Outcome], float]] = {
    "relative": relative_reward, "absolute": absolute_reward}


def route_cost(outcome: Outcome, per_call: float = 0.0, per_second: float = 0.0) -> float:
    """What the route costs: a price per tool call plus a price per second of tool time."""
    return per_call * outcome.calls + per_second * outcome.tool_seconds
