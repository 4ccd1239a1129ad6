"""Test-wide settings: never touch the network, never share a cache with the user."""

from __future__ import annotations

import os

import numpy as np
import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("OMP_NUM_THREADS", "2")


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Results and assembled models go to a fresh directory for each test session."""
    os.environ["AUDIOROUTER_CACHE"] = str(tmp_path_factory.mktemp("audiorouter-cache"))


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(1234)


def sine(freq: float = 440.0, seconds: float = 1.0, sr: int = 16_000, amp: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


@pytest.fixture
def without_ray(monkeypatch):
    """This process as a machine without Ray installed: importing it fails."""
    import builtins

    real_import = builtins.__import__

    def no_ray(name, *args, **kwargs):
        if name == "ray":
            raise ImportError("No module named 'ray'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ray)


@pytest.fixture(scope="session")
def small_reasoner():
    """A real local LLM small enough for plumbing tests (SmolLM2-135M through llama.cpp)."""
    from audiorouter.agent.reasoners.cascade import CascadeReasoner
    from audiorouter.tools.models import SMOLLM2_135M

    return CascadeReasoner(SMOLLM2_135M)


@pytest.fixture(scope="session")
def knocks():
    """Four real drum hits at known times."""
    from audiorouter.data import synth

    audio, onsets = synth.hits(4, rng=np.random.default_rng(3))
    return audio, onsets


@pytest.fixture(scope="session")
def train_bench(tmp_path_factory):
    """Two real questions to train a router on, and two dev questions to try it on."""
    from audiorouter.data import build_benchmark

    out = tmp_path_factory.mktemp("train-bench")
    return build_benchmark(out, 2, seed=1, splits=("train", "dev"), fractions={"train": 1, "dev": 1},
                           skills=["event_count", "note_name"], progress=False)


@pytest.fixture
def train_args(train_bench):
    """Tiny training arguments on `train_bench`: two items, one per batch, two routes each."""
    from audiorouter.training.config import Args

    def make(run_dir, **kw) -> Args:
        defaults = dict(dataset=str(train_bench["train"]), num_items=2, reasoner="smollm2-135m-instruct",
                        epochs=1, group_size=2, items_per_batch=1, update_epochs=2, progress=False)
        return Args(run_dir=str(run_dir), **{**defaults, **kw})

    return make


def progress_rows(run_dir) -> list[dict]:
    """The rows of a training run's progress.csv."""
    import csv

    with (run_dir / "progress.csv").open() as f:
        return list(csv.DictReader(f))
