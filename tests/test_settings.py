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


def test_no_audiorouter_environment_read_outside_settings():
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    allowed = {
        "tools/settings.py",
        "training/ray_pool.py",  # writes a Ray worker's LLM_THREADS, reads none
        "evals/benchmarks/ray_eval.py",  # writes AUDIOROUTER_CACHE: each variant cold, reads none
    }
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for folder in ("tools", "agent", "data", "envs", "training", "evals")
        for path in sorted((root / folder).rglob("*.py"))
        if str(path.relative_to(root)) not in allowed
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if "AUDIOROUTER_" in line and ("os.environ" in line or "getenv" in line)
    ]
    assert offenders == []


def test_readme_table_lists_exactly_the_fields():
    import re
    from dataclasses import fields
    from pathlib import Path
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `AUDIOROUTER_([\w<>]+)`", section, re.M))
    assert listed == {"MODEL_<NAME>" if f.name == "model_paths" else f.name.upper() for f in fields(Settings)}


def test_a_model_path_is_read_by_its_name(monkeypatch):
    monkeypatch.setenv("AUDIOROUTER_MODEL_WHISPER_BASE", "/models/wb")
    assert Settings.from_env().model_path("whisper-base") == "/models/wb"
    assert Settings.from_env().model_path("yamnet") is None
