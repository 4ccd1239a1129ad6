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


def test_unwritable_cache_degrades_to_memory(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("AUDIOROUTER_CACHE", str(blocker))  # a file where a folder should be
    cache = ResultCache("t")
    cache.put("k", "v")
    assert cache.get("k") == "v"
