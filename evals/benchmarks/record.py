"""What every benchmark shares: the results-folder option, the JSON result file with how and
where it was measured, and the markdown table its page shows (filled by `audiorouter render`)."""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path
from typing import Annotated, Any, Iterable

import typer

RESULTS_DIR = Path("results")  # outside git (.gitignore); docs/ holds only what render makes of it

ResultsDir = Annotated[Path, typer.Option("--results", help="folder of result files (JSON), outside git")]


def cpu_count() -> int:
    """Cores this process may use (what the benchmark actually had)."""
    return len(os.sched_getaffinity(0))


def first_items(dataset: Path, n: int) -> list[dict]:
    """The first ``n`` items of an MMAU-style JSON file, their audio paths made absolute (so an
    environment given the list finds them wherever it runs)."""
    chosen = json.loads(Path(dataset).read_text())[:n]
    for item in chosen:
        item["audio_id"] = str((Path(dataset).parent / item["audio_id"]).resolve())
    return chosen


def command_line(benchmark: str, *arguments: Any) -> str:
    """The command that reproduces a run, as its page quotes it: ``audiorouter benchmark
    <benchmark>`` and the ``arguments`` (pairs of option and value, or bare words) that shaped it."""
    return " ".join(["audiorouter benchmark", benchmark, *(str(a) for a in arguments)])


def measured(command: str) -> dict:
    """How and where a result was measured: the command, the day, the machine and its cores."""
    return {"command": command, "date": time.strftime("%Y-%m-%d"), "machine": platform.machine(),
            "cpus": cpu_count()}


def save(results: dict, folder: Path, name: str) -> Path:
    """Write ``results`` to ``folder/name.json`` and say where."""
    path = Path(folder) / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2))
    typer.echo(f"results: {path}")
    return path


def table(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> list[str]:
    """A markdown table's lines: the header, its rule and one line per row."""
    header = list(header)
    return [_row(header), "|" + "---|" * len(header), *(_row(row) for row in rows)]


def _row(cells: Iterable[Any]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"
