from audiorouter.tools.settings import Settings


def test_defaults_when_unset(monkeypatch):
    for name in ("AUDIOROUTER_MAX_SECONDS", "AUDIOROUTER_CACHE", "AUDIOROUTER_LLM_THREADS"):
        monkeypatch.delenv(name, raising=False)
    s = Settings.from_env()
    assert (s.max_seconds, s.cache, s.llm_threads) == (600.0, "", 0)


def test_read_at_call_time(monkeypatch):
    monkeypatch.setenv("AUDIOROUTER_MAX_SECONDS", "12.5")
    monkeypatch.setenv("AUDIOROUTER_CACHE", "/tmp/x")
    s = Settings.from_env()
    assert (s.max_seconds, s.cache) == (12.5, "/tmp/x")
