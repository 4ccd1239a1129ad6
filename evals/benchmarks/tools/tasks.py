"""A tool benchmark task: ground-truth clips for one tool and how to score its output.

Like an lm-evaluation-harness task, a small declarative unit: `make_cases` renders clips
whose answer is known by construction, `score` turns the tool's output into a 0/1 (or
error) figure, and `goal` says what the project aims for. The runner in ``run.py`` does the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np


@dataclass
class Case:
    """One clip with its ground truth."""

    name: str
    audio: np.ndarray  # mono float32
    truth: Any
    sample_rate: int = 16_000
    args: dict = field(default_factory=dict)


@dataclass
class ToolTask:
    """One accuracy measurement of one tool."""

    name: str  # e.g. "tempo of rendered drum loops"
    tool: str  # registry name of the tool
    metric: str  # what `score` returns, e.g. "share within 4%"
    make_cases: Callable[[np.random.Generator, int], list[Case]]
    score: Callable[[Any, Any], float]  # (tool output, truth) -> 1.0 right / 0.0 wrong, or an error
    goal: str = ""
    higher_is_better: bool = True
