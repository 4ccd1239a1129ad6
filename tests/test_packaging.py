"""The wheel holds what an installed AudioRouter needs: every module, the shipped router, the
example clip, the real-audio catalogues, and the typing marker."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOP_LEVEL_SKIPPED = {".git", ".venv", "bench", "results", "runs", "build", "tests", ".pytest_cache",
                     ".langgraph_api", "audiorouter.egg-info"}


def skipped(folder: str, names: list[str]) -> set[str]:
    """Run outputs and caches at the top of the tree, and bytecode anywhere."""
    top = TOP_LEVEL_SKIPPED if Path(folder) == ROOT else set()
    return {n for n in names if n in top or n == "__pycache__"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    """The wheel built from a copy of the source tree (a build writes into its tree)."""
    work = tmp_path_factory.mktemp("pkg")
    shutil.copytree(ROOT, work / "src", ignore=skipped)
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                          "-q", "-w", str(work / "dist"), str(work / "src")],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    (path,) = (work / "dist").glob("audiorouter-*.whl")
    return zipfile.ZipFile(path)


@pytest.mark.slow
def test_the_wheel_holds_every_module_and_its_data(wheel):
    names = set(wheel.namelist())
    for folder, package in [("tools", "tools"), ("agent", "agent"), ("envs", "envs"),
                            ("training", "training"), ("evals", "evals")]:
        for source in (ROOT / folder).rglob("*.py"):
            assert f"audiorouter/{package}/{source.relative_to(ROOT / folder)}" in names, source
        assert f"audiorouter/{package}/py.typed" in names
    for data in ["audiorouter/agent/checkpoints/router.pt",
                 "audiorouter/tools/examples/voice_then_knocks.wav"]:
        assert data in names
        assert wheel.read(data) == (ROOT / data.removeprefix("audiorouter/")).read_bytes()
    assert not [n for n in names if n.startswith(("tests/", "audiorouter/tests"))]


@pytest.mark.slow
def test_the_wheel_metadata_names_the_entry_point_and_licence(wheel):
    (meta_name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    meta = Parser().parsestr(wheel.read(meta_name).decode())
    assert meta["Name"] == "audiorouter" and meta["Requires-Python"] == "<3.13,>=3.11"
    assert "Typing :: Typed" in meta.get_all("Classifier")
    assert {"offline-models", "omni", "dev", "ray"} <= set(meta.get_all("Provides-Extra"))
    (entry_points,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    assert "audiorouter = audiorouter.evals.cli:app" in wheel.read(entry_points).decode()
