"""Every AUDIOROUTER_* environment variable in one place, read only here, so each has one type,
one default and one line of doc."""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """The AUDIOROUTER_* variables; empty string or 0 means "not set" where the default is."""

    max_seconds: float = 600.0  # AUDIOROUTER_MAX_SECONDS: longest clip load_audio accepts
    cache: str = ""  # AUDIOROUTER_CACHE: cache folder (else $XDG_CACHE_HOME/audiorouter)
    offline: str = ""  # AUDIOROUTER_OFFLINE: 1/true/yes/on forbids hub downloads
    train_data: str = ""  # AUDIOROUTER_TRAIN_DATA: train split for the environment
    server_audio_dir: str = ""  # AUDIOROUTER_SERVER_AUDIO_DIR: folder the server may read
    server_max_body_mb: str = ""  # AUDIOROUTER_SERVER_MAX_BODY_MB: request body cap in MB
    llm_threads: int = 0  # AUDIOROUTER_LLM_THREADS: llama.cpp threads (0: all CPUs)
    router_kind: str = ""  # AUDIOROUTER_ROUTER_KIND: router to build (else learned or rules)
    router: str = ""  # AUDIOROUTER_ROUTER: learned router's checkpoint path
    reasoner_model: str = ""  # AUDIOROUTER_REASONER_MODEL: reasoner's model name
    model_paths: tuple[tuple[str, str], ...] = ()  # AUDIOROUTER_MODEL_<NAME>: a model's local path

    def model_path(self, name: str) -> str | None:
        """The path ``AUDIOROUTER_MODEL_<NAME>`` gives model ``name`` (``whisper-base``), if any."""
        return dict(self.model_paths).get(model_variable(name))

    @classmethod
    def from_env(cls) -> "Settings":
        """Read now (not at import), so a changed environment is seen by the next call."""
        get = os.environ.get
        return cls(
            max_seconds=float(get("AUDIOROUTER_MAX_SECONDS", cls.max_seconds)),
            cache=get("AUDIOROUTER_CACHE", ""),
            offline=get("AUDIOROUTER_OFFLINE", ""),
            train_data=get("AUDIOROUTER_TRAIN_DATA", ""),
            server_audio_dir=get("AUDIOROUTER_SERVER_AUDIO_DIR", ""),
            server_max_body_mb=get("AUDIOROUTER_SERVER_MAX_BODY_MB", ""),
            llm_threads=int(get("AUDIOROUTER_LLM_THREADS", 0)),
            router_kind=get("AUDIOROUTER_ROUTER_KIND", ""),
            router=get("AUDIOROUTER_ROUTER", ""),
            reasoner_model=get("AUDIOROUTER_REASONER_MODEL", ""),
            model_paths=tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(MODEL_PREFIX))),
        )


MODEL_PREFIX = "AUDIOROUTER_MODEL_"


def model_variable(name: str) -> str:
    """The variable that points model ``name`` at a local path: whisper-base -> AUDIOROUTER_MODEL_WHISPER_BASE."""
    return MODEL_PREFIX + name.upper().replace("-", "_").replace(".", "_")
