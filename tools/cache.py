"""Where AudioRouter keeps things between runs, and the tool-result cache.

Tool results are cached by (clip id, tool, arguments, tool version): a second question
about the same clip, or a rerun of an evaluation, costs a lookup instead of a model call.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import warnings
from collections import OrderedDict
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    """``$AUDIOROUTER_CACHE``, else ``$XDG_CACHE_HOME/audiorouter``, else ``~/.cache/audiorouter``."""
    explicit = os.environ.get("AUDIOROUTER_CACHE")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "audiorouter"


def cache_key(*parts: Any) -> str:
    """A stable hash of JSON-serialisable parts (argument order inside dicts does not matter)."""
    blob = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


class ResultCache:
    """JSON results by key: an LRU in memory over files on disk (``persist=False``: memory only)."""

    def __init__(self, name: str, *, persist: bool = True, max_items: int = 4096):
        self.name = name
        self.persist = persist
        self._memory: OrderedDict[str, str] = OrderedDict()
        self._max_items = max_items
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            if key in self._memory:
                self._memory.move_to_end(key)
                return self._memory[key]
        if not self.persist:
            return None
        path = self._path(key)
        try:
            text = path.read_text()
        except OSError:
            return None
        self._remember(key, text)
        return text

    def put(self, key: str, text: str) -> None:
        self._remember(key, text)
        if not self.persist:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_text(text)
            os.replace(tmp, path)
        except OSError:
            pass  # an unwritable cache costs recomputation, never a failure

    def discard(self, key: str, why: str) -> None:
        """Drop a damaged entry (a torn write, a foreign file) so that it is recomputed."""
        with self._lock:
            self._memory.pop(key, None)
        path = self._path(key)
        warnings.warn(f"{self.name}: dropped the damaged cache entry {path.name} ({why}); "
                      "recomputing it", stacklevel=3)
        if self.persist:
            path.unlink(missing_ok=True)

    def clear_memory(self) -> None:
        with self._lock:
            self._memory.clear()

    def _remember(self, key: str, text: str) -> None:
        with self._lock:
            self._memory[key] = text
            self._memory.move_to_end(key)
            while len(self._memory) > self._max_items:
                self._memory.popitem(last=False)

    def _path(self, key: str) -> Path:
        return cache_dir() / self.name / key[:2] / f"{key}.json"
