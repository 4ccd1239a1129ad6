"""The README's snippets work as written: Python blocks run, shell commands name real flags."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.DOTALL)


def commands() -> list[list[str]]:
    """Every `audiorouter` / `python ...` command line of the shell blocks, continuations
    joined, comments and placeholders ([...] and ...) dropped."""
    lines = []
    for block in blocks("bash"):
        for line in block.replace("\\\n", " ").splitlines():
            line = re.sub(r"\s#.*$", "", line).strip()
            line = re.sub(r"\[[^\]]*\]\.*", "", line)  # [--json], [-c option]...
            if line.startswith(("audiorouter ", "python ")):
                lines.append(shlex.split(line))
    return lines


def help_text(argv: list[str]) -> str:
    """The --help of the command `argv` names (its program and subcommands, no arguments)."""
    if argv[0] == "python":
        program = [sys.executable, *argv[1:3]] if argv[1] == "-m" else [sys.executable, argv[1]]
    else:
        program = [str(Path(sys.executable).parent / "audiorouter")]
        words = [w for w in argv[1:] if not w.startswith("-")]
        program += words[:2] if words[:1] in (["data"], ["benchmark"], ["experiment"]) else words[:1]
    out = subprocess.run([*program, "--help"], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, (argv, out.stderr[-2000:])
    return out.stdout


def test_the_readme_has_snippets_to_check():
    assert len(blocks("python")) >= 3 and len(commands()) >= 8


@pytest.mark.slow  # each --help imports the package afresh (2-3 s)
@pytest.mark.parametrize("argv", commands(), ids=lambda a: " ".join(a[:3]))
def test_every_shell_command_uses_flags_its_command_has(argv):
    known = help_text(argv)
    arguments = argv[3:] if argv[:2] == ["python", "-m"] else argv[1:]
    flags = {f.split("=")[0] for f in arguments if re.match(r"^--?[a-z]", f)} - {"--help"}
    missing = [f for f in flags if not re.search(rf"(?<![\w-]){re.escape(f)}(?![\w-])", known)]
    assert not missing, f"{' '.join(argv)}: {missing} not in its --help"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """What the snippets read, laid out as in a checkout: the example clip and a small
    benchmark train split."""
    from audiorouter.data import build_benchmark

    work = tmp_path_factory.mktemp("readme")
    (work / "tools" / "examples").mkdir(parents=True)
    shutil.copy(ROOT / "tools" / "examples" / "voice_then_knocks.wav", work / "tools" / "examples")
    build_benchmark(work / "bench", 1, seed=0, splits=("train",), fractions={"train": 1},
                    skills=["event_count", "tempo"], progress=False)
    return work


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(blocks("python"))))
def test_every_python_snippet_runs(index, workdir):
    code = blocks("python")[index]
    out = subprocess.run([sys.executable, "-c", code], cwd=workdir, capture_output=True,
                         text=True, timeout=900)
    assert out.returncode == 0, f"snippet {index}:\n{code}\n{out.stderr[-3000:]}"
