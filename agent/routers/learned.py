"""The learned router: a small policy network over `features`, loaded from a checkpoint.

Training (``training/train_router.py``) writes the checkpoint with `save_router`; the
graph's `LearnedRouter` reads it. A checkpoint records the tool order and the feature layout
it was trained with, and is refused with a clear message if either differs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from audiorouter.tools import Clip, tool_names
from audiorouter.tools.errors import AudioRouterError
from audiorouter.tools.settings import Settings

from .features import FEATURES_VERSION, Featurizer
from .routing import Route, ToolCall

CHECKPOINT_FORMAT = "audiorouter-router/1"
DEFAULT_CHECKPOINT = Path(__file__).parents[1] / "checkpoints" / "router.pt"


class RouterCheckpointError(AudioRouterError):
    """No usable router checkpoint."""


def policy_network(obs_dim: int, n_tools: int, hidden: int = 128):
    """Logits of one Bernoulli per tool: call it or not."""
    import torch.nn as nn

    return nn.Sequential(nn.Linear(obs_dim, hidden), nn.Tanh(), nn.Linear(hidden, n_tools))


@dataclass
class RouterCheckpoint:
    state_dict: dict
    tool_names: list[str]
    obs_dim: int
    hidden: int
    features: str = FEATURES_VERSION
    threshold: float = 0.5
    metadata: dict[str, Any] = field(default_factory=dict)


def save_router(path: str | os.PathLike, network: Any, tools: Sequence[str], *, hidden: int,
                obs_dim: int, threshold: float = 0.5, metadata: dict | None = None) -> Path:
    import torch

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save({"format": CHECKPOINT_FORMAT, "state_dict": network.state_dict(),
                "tool_names": list(tools), "obs_dim": obs_dim, "hidden": hidden,
                "features": FEATURES_VERSION, "threshold": threshold,
                "metadata": metadata or {}}, tmp)
    os.replace(tmp, path)
    return path


def checkpoint_path(path: str | os.PathLike | None = None) -> Path:
    """``path``, else ``$AUDIOROUTER_ROUTER``, else the shipped router."""
    return Path(path or Settings.from_env().router or DEFAULT_CHECKPOINT)


def load_router_checkpoint(path: str | os.PathLike | None) -> RouterCheckpoint:
    import torch

    path = checkpoint_path(path)
    if not path.exists():
        raise RouterCheckpointError(
            f"no router checkpoint at {path}: train one with `python training/train_router.py "
            "--env AudioRouter-v0` and pass checkpoint=..., or set AUDIOROUTER_ROUTER")
    try:
        data = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise RouterCheckpointError(f"{path} is not a readable router checkpoint: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != CHECKPOINT_FORMAT:
        raise RouterCheckpointError(f"{path} is not an AudioRouter router checkpoint "
                                    f"(format {data.get('format') if isinstance(data, dict) else '?'})")
    if data["features"] != FEATURES_VERSION:
        raise RouterCheckpointError(f"{path} was trained on features {data['features']!r}, this "
                                    f"version computes {FEATURES_VERSION!r}: retrain the router")
    unknown = set(data["tool_names"]) - set(tool_names())
    if unknown:
        raise RouterCheckpointError(f"{path} routes to tools this version lacks: {sorted(unknown)}")
    return RouterCheckpoint(**{k: data[k] for k in RouterCheckpoint.__dataclass_fields__})


class LearnedRouter:
    """Calls each tool whose learned call probability reaches the checkpoint's threshold."""

    name = "learned"

    def __init__(self, checkpoint: str | os.PathLike | None = None, *, threshold: float | None = None,
                 featurizer: Featurizer | None = None):
        import torch

        self.checkpoint = load_router_checkpoint(checkpoint)
        self.network = policy_network(self.checkpoint.obs_dim, len(self.checkpoint.tool_names),
                                      self.checkpoint.hidden)
        self.network.load_state_dict(self.checkpoint.state_dict)
        self.network.eval()
        self.threshold = self.checkpoint.threshold if threshold is None else threshold
        self.featurizer = featurizer or Featurizer()
        self._torch = torch

    def probabilities(self, question: str, choices: Sequence[str] | None, clip: Clip) -> np.ndarray:
        obs = self._torch.from_numpy(self.featurizer(question, choices, clip))[None]
        with self._torch.no_grad():
            return self._torch.sigmoid(self.network(obs))[0].numpy()

    def decide(self, question: str, choices: Sequence[str] | None, clip: Clip) -> Route:
        probs = self.probabilities(question, choices, clip)
        names = self.checkpoint.tool_names
        calls = [ToolCall(name=n) for n, p in zip(names, probs) if p >= self.threshold]
        return Route(calls=calls, router=self.name,
                     scores={n: round(float(p), 4) for n, p in zip(names, probs)})
