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


@pytest.fixture(scope="session")
def small_reasoner():
    """A real local LLM small enough for plumbing tests (SmolLM2-135M through llama.cpp)."""
    from audiorouter.agent.reasoners import CascadeReasoner
    from audiorouter.tools.models import SMOLLM2_135M

    return CascadeReasoner(SMOLLM2_135M)


@pytest.fixture(scope="session")
def knocks():
    """Four real drum hits at known times."""
    from audiorouter.data import synth

    audio, onsets = synth.hits(4, rng=np.random.default_rng(3))
    return audio, onsets
