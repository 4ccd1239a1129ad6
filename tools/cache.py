"""Where AudioRouter keeps things between runs, and the tool-result cache.

Tool results are cached by (clip id, tool, arguments, tool version): a second question
about the same clip, or a rerun of an evaluation, costs a lookup instead of a model call.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
import warnings
from collections import OrderedDict
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

from .settings import Settings

T = TypeVar("T")


def cache_dir() -> Path:
    """``$AUDIOROUTER_CACHE``, else ``$XDG_CACHE_HOME/audiorouter``, else ``~/.cache/audiorouter``."""
    explicit = Settings.from_env().cache
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "audiorouter"


def cache_key(*parts: Any) -> str:
    """A stable hash of JSON-serialisable parts (argument order inside dicts does not matter)."""
    blob = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold an flock on ``.<name>.lock`` beside ``path`` (kept; it is empty): processes sharing the cache
    folder, on one machine or on shared storage, do what ``path`` names one at a time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.name}.lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class ResultCache:
    """JSON results by key: an LRU in memory over files on disk (``persist=False``: memory only)."""

    def __init__(self, name: str, *, persist: bool = True, max_items: int = 4096):
        self.name = name
        self.persist = persist
        self._memory: OrderedDict[str, str] = OrderedDict()
        self._max_items = max_items
        self._lock = threading.Lock()
        self._key_locks: dict[str, tuple[threading.Lock, int]] = {}

    def __reduce__(self):
        """Sent to another process (a Ray worker), a cache is the same name over the same
        disk, with a memory of its own."""
        return partial(ResultCache, self.name, persist=self.persist, max_items=self._max_items), ()

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

    def get_parsed(self, key: str, parse: Callable[[str], T]) -> T | None:
        """The entry for ``key`` through ``parse``, or None. An entry ``parse`` rejects (raises:
        a torn write, a foreign file, an older format) is dropped with a warning."""
        if (text := self.get(key)) is None:
            return None
        try:
            return parse(text)
        except Exception as exc:  # noqa: BLE001 - any rejection means "damaged"
            self.discard(key, type(exc).__name__)
            return None

    def get_or_compute(self, key: str, parse: Callable[[str], T], compute: Callable[[], T],
                       dump: Callable[[T], str | None]) -> T:
        """The parsed entry for ``key``, else ``compute()``, stored as ``dump(value)`` (None:
        not stored). A concurrent miss for the same key waits and then reads the result."""
        if (hit := self.get_parsed(key, parse)) is not None:
            return hit
        with self.locked(key):
            if (hit := self.get_parsed(key, parse)) is not None:
                return hit
            value = compute()
            if (text := dump(value)) is not None:
                self.put(key, text)
            return value

    @contextmanager
    def locked(self, key: str) -> Iterator[None]:
        """Hold ``key`` while computing it: a concurrent miss for the same key, in this process
        or another sharing the cache folder, waits and then finds the result instead of
        computing it again."""
        with self._lock:
            lock, users = self._key_locks.get(key, (threading.Lock(), 0))
            self._key_locks[key] = (lock, users + 1)
        try:
            with lock, self._file_lock(key):
                yield
        finally:
            with self._lock:
                lock, users = self._key_locks[key]
                if users == 1:
                    del self._key_locks[key]
                else:
                    self._key_locks[key] = (lock, users - 1)

    @contextmanager
    def _file_lock(self, key: str) -> Iterator[None]:
        """An flock on ``.locks/<key>``, removed by its holder once the result is stored (a
        process that opened it before then re-checks the cache and finds the result)."""
        if not self.persist:
            yield
            return
        path = cache_dir() / self.name / ".locks" / key
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(path, "a")
        except OSError:  # an unwritable cache: no cross-process lock, only recomputation
            yield
            return
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                path.unlink(missing_ok=True)
                fcntl.flock(handle, fcntl.LOCK_UN)

    def discard(self, key: str, why: str) -> None:
        """Drop a damaged entry (a torn write, a foreign file) so that it is recomputed."""
        with self._lock:
            self._memory.pop(key, None)
        path = self._path(key)
        warnings.warn(f"{self.name}: dropped the damaged cache entry {path.name} ({why}); "
                      "recomputing it", stacklevel=4)
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
