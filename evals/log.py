"""The resumable log: append-only JSON lines, the setup a folder was made with, and the
latest record per item, so an interrupted evaluation resumes where it stopped."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from audiorouter.data.items import Item
from audiorouter.tools.errors import AudioRouterError


def file_identity(path: str | Path, *, full_path: bool = False) -> str:
    """A file named by its content, for a setup: the same dataset or checkpoint resumes from
    anywhere, and one rewritten in place (a retrained router) is not taken for the old one.
    ``full_path`` names it by its whole path, for a reader rather than for comparison."""
    path = Path(path)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError as exc:
        raise AudioRouterError(f"cannot read {path}: {exc.strerror}") from None
    return f"{path if full_path else path.name} (sha256 {digest})"


def check_setup(path: Path, setup: Mapping[str, str]) -> None:
    known = json.loads(path.read_text()) if path.exists() else {}
    clashes = {k: (known[k], v) for k, v in setup.items() if k in known and known[k] != v}
    if clashes:
        raise AudioRouterError(f"{path.parent} holds results of another setup ({clashes}, as (then, now)): "
                               "pick another output folder, or delete this one to start over")
    path.write_text(json.dumps({**known, **setup}, indent=1))


class JsonlLog:
    """An append-only JSON-lines file, one line per record, written whole and closed at once.
    A torn last line (killed mid-write) is cut on reopen, so nothing after it is corrupted."""

    def __init__(self, path: Path):
        self.path = path
        self.records: list[dict] = []
        if path.exists():
            text = path.read_text(encoding="utf-8")
            complete = text[: text.rfind("\n") + 1]
            if complete != text:
                path.write_text(complete, encoding="utf-8")
            self.records = [json.loads(line) for line in complete.splitlines() if line.strip()]

    def append(self, record: dict) -> None:
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.records.append(record)


def latest_by_id(records: Iterable[dict]) -> dict[str, dict]:
    """The last record of each item id (retries come later in the log)."""
    return {r["id"]: r for r in records}


def latest(records: Iterable[dict], items: Sequence[Item]) -> list[dict]:
    """The last record of each item, in the items' order."""
    last = latest_by_id(records)
    return [last[item.id] for item in items if item.id in last]
