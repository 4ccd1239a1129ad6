"""A training run's resume state in one file without pickle: tensors in safetensors, everything
else (batch counter, arguments, item ids, optimizer settings) as JSON in its metadata.

Loading such a file runs no code, whoever wrote it, and it is written to a temporary file and
renamed, so an interruption never leaves half a state.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
from safetensors import safe_open
from safetensors.torch import save_file

TENSOR, MAPPING = "__tensor__", "__mapping__"


def save_state(path: str | Path, state: dict) -> None:
    """Write ``state`` (nested dicts, lists, tensors and JSON values) to ``path``."""
    path = Path(path)
    tensors: dict[str, torch.Tensor] = {}
    plain = _split(state, "", tensors)
    tmp = path.with_suffix(".tmp")
    save_file(tensors, str(tmp), metadata={"state": json.dumps(plain)})
    tmp.replace(path)


def load_state(path: str | Path) -> dict:
    """The state `save_state` wrote (tuples come back as lists)."""
    with safe_open(str(path), framework="pt") as f:
        plain = json.loads(f.metadata()["state"])
        tensors = {key: f.get_tensor(key) for key in f.keys()}
    return _join(plain, tensors)


def _split(value: Any, key: str, tensors: dict[str, torch.Tensor]) -> Any:
    if isinstance(value, torch.Tensor):
        tensors[key] = value.detach().cpu().contiguous()
        return {TENSOR: key}
    if isinstance(value, dict):  # as pairs: optimizer state is keyed by int
        return {MAPPING: [[k, _split(v, f"{key}/{k}", tensors)] for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        return [_split(v, f"{key}/{i}", tensors) for i, v in enumerate(value)]
    return value


def _join(value: Any, tensors: dict[str, torch.Tensor]) -> Any:
    if isinstance(value, dict) and TENSOR in value:
        return tensors[value[TENSOR]]
    if isinstance(value, dict) and MAPPING in value:
        return {k: _join(v, tensors) for k, v in value[MAPPING]}
    if isinstance(value, list):
        return [_join(v, tensors) for v in value]
    return value
