"""What a training run keeps on disk to resume: its state in one file without pickle (tensors in
safetensors, everything else as JSON in its metadata) and ``progress.csv``, one row per batch.

Loading a state runs no code, whoever wrote it; the state and the log are written to a
temporary file and renamed, so an interruption never leaves half of either.
"""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import torch
from safetensors import safe_open
from safetensors.torch import save_file

from audiorouter.tools.errors import AudioRouterError

from .config import PLAN_ARGS, Args

STATE_FILE, LOG_FILE = "state.safetensors", "progress.csv"
TENSOR, MAPPING = "__tensor__", "__mapping__"


class ResumeError(AudioRouterError):
    """A run folder's saved state was made with arguments this run cannot continue."""


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


def check_resumable(run_dir: Path, state: dict, args: Args, items: list[str], reasoner: str) -> None:
    """Refuse what would make the resumed run another run (the reasoner pays the reward, so
    another model or scoring is another run); say what else changed."""
    if state["items"] != items:
        raise ResumeError(f"{run_dir} holds a run on other items, or in another order, than "
                          f"{args.dataset} gives now: rebuild the training file it was made with, "
                          "or use a fresh --run-dir")
    if state.get("reasoner", reasoner) != reasoner:  # states saved before 2026-12-07 do not name it
        raise ResumeError(f"{run_dir} holds a run against another reasoner ({state['reasoner']!r} then, "
                          f"{reasoner!r} now): resume it with that reasoner (--reasoner names the model, this "
                          "version's defaults the scoring), or use a fresh --run-dir")
    # A state saved before an argument existed ran as that argument's default does.
    saved = {**asdict(Args()), **state["args"]}
    changed = {k: (saved.get(k), v) for k, v in asdict(args).items() if saved.get(k) != v}
    fatal = {k: v for k, v in changed.items() if k in PLAN_ARGS}
    if fatal:
        raise ResumeError(f"{run_dir} holds a run made with other {', '.join(fatal)} ({fatal}, as "
                          "(then, now)): pass the same values to resume it, or a fresh --run-dir")
    if changed:
        print(f"resuming {run_dir} with changed arguments {changed}", file=sys.stderr)


class CsvLog:
    """progress.csv, one row per batch. On resume, rows of batches after the saved state (done,
    then lost in an interruption) are dropped, by writing the kept rows to a new file that
    replaces the old one: they will be redone."""

    FIELDS = ["batch", "epoch", "samples", "failures", "tool_failures", "reward", "correct", "calls", "loss",
              "entropy", "p_call", "steps_per_s"]

    def __init__(self, path: Path, keep_below: int):
        self.path = path
        rows = []
        if path.exists():
            with path.open(newline="") as f:
                rows = [r for r in csv.DictReader(f) if int(r["batch"]) < keep_below]
        tmp = path.with_suffix(".tmp")  # a kill while rewriting leaves the old file whole
        with tmp.open("w", newline="") as f:
            writer = csv.DictWriter(f, self.FIELDS)
            writer.writeheader()
            writer.writerows(rows)
        tmp.replace(path)

    def write(self, row: dict) -> None:
        with self.path.open("a", newline="") as f:
            csv.DictWriter(f, self.FIELDS).writerow({k: row.get(k, "") for k in self.FIELDS})


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
