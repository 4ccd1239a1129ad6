from audiorouter.tools.cache import ResultCache, cache_dir, cache_key


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("AUDIOROUTER_CACHE", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    monkeypatch.delenv("AUDIOROUTER_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert cache_dir() == tmp_path / "x" / "audiorouter"


def test_keys_ignore_dict_order_but_not_values():
    assert cache_key("clip", {"a": 1, "b": 2}) == cache_key("clip", {"b": 2, "a": 1})
    assert cache_key("clip", {"a": 1}) != cache_key("clip", {"a": 2})


def test_results_persist_and_memory_is_bounded(monkeypatch, tmp_path):
    monkeypatch.setenv("AUDIOROUTER_CACHE", str(tmp_path))
    cache = ResultCache("t", max_items=2)
    for i in range(3):
        cache.put(f"k{i}", f"v{i}")
    assert len(cache._memory) == 2
    assert ResultCache("t").get("k0") == "v0"  # a new cache (process) reads it from disk
    assert ResultCache("t", persist=False).get("k0") is None


def test_a_pickled_cache_is_the_same_disk_with_its_own_memory(monkeypatch, tmp_path):
    import pickle

    monkeypatch.setenv("AUDIOROUTER_CACHE", str(tmp_path))
    cache = ResultCache("t", persist=True, max_items=2)
    cache.put("k", "v")
    copy = pickle.loads(pickle.dumps(cache))  # as a Ray worker receives a reasoner's cache
    assert (copy.name, copy.persist, copy._max_items) == ("t", True, 2)
    assert not copy._memory and copy.get("k") == "v"
    memory_only = pickle.loads(pickle.dumps(ResultCache("m", persist=False)))
    assert memory_only.persist is False


def test_unwritable_cache_degrades_to_memory(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("AUDIOROUTER_CACHE", str(blocker))  # a file where a folder should be
    cache = ResultCache("t")
    cache.put("k", "v")
    assert cache.get("k") == "v"


LOCKED_COMPUTE = """
import os, sys, time
from audiorouter.tools.cache import ResultCache
cache = ResultCache("shared")
with cache.locked("k" * 32):
    if cache.get("k" * 32) is None:
        with open(sys.argv[1], "a") as log:
            log.write(f"{os.getpid()}\\n")
        time.sleep(0.5)
        cache.put("k" * 32, "done")
"""


def test_a_key_is_computed_once_across_processes(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "AUDIOROUTER_CACHE": str(tmp_path / "cache")}
    procs = [subprocess.Popen([sys.executable, "-c", LOCKED_COMPUTE, str(tmp_path / "computed")], env=env)
             for _ in range(4)]
    assert [p.wait(timeout=60) for p in procs] == [0] * 4
    assert len((tmp_path / "computed").read_text().split()) == 1
