"""The Debian programs and data files the renderers use: a missing one names its package."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def binary(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"`{name}` is not installed: apt-get install {package}")
    return path


def data_file(path: Path, package: str) -> Path:
    if not path.exists():
        raise RuntimeError(f"{path} is missing: apt-get install {package}")
    return path


def run(cmd: list[str]) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"{Path(cmd[0]).name} failed ({result.returncode}): "
                           f"{result.stderr.strip()[-500:]}")
