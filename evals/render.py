"""``audiorouter render``: the one writer of docs pages. It fills each page's marked blocks from
the result files that benchmarks left in the results folder, leaving the prose around them alone.

A block whose result file is absent keeps what the page says (and is listed as skipped), so
rendering after one benchmark touches only that benchmark's table.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from pathlib import Path

import typer

from .benchmarks.record import RESULTS_DIR, ResultsDir


@dataclass(frozen=True)
class Block:
    """A marked block of a page and where its text comes from."""

    marker: str  # the page holds <!-- marker:start --> ... <!-- marker:end -->
    page: str  # relative to the docs folder
    result: str  # result file name in the results folder
    renderer: str  # "module:function" turning the parsed result file into the block's text

    @property
    def marks(self) -> tuple[str, str]:
        return f"<!-- {self.marker}:start -->", f"<!-- {self.marker}:end -->"


BLOCKS = (
    Block("tool-benchmark", "benchmarks.md", "tools.json", "benchmarks.tools.run:render"),
    Block("reasoner-benchmark", "benchmarks.md", "reasoner.json", "benchmarks.reasoner:render"),
    Block("free-form-benchmark", "benchmarks.md", "free_form.json", "benchmarks.free_form:render"),
    Block("graph-benchmark", "benchmarks.md", "graph.json", "benchmarks.graph:render"),
    Block("env-benchmark", "benchmarks.md", "env.json", "benchmarks.env:render"),
    Block("omni-benchmark", "benchmarks.md", "omni.json", "benchmarks.omni:render"),
    Block("ray-benchmark", "benchmarks.md", "ray.json", "benchmarks.ray:render"),
    Block("ray-eval-benchmark", "benchmarks.md", "ray-eval.json", "benchmarks.ray_eval:render"),
)


def block_text(block: Block, results: dict) -> str:
    """The block as the page holds it: marks around the renderer's text."""
    module, function = block.renderer.split(":")
    render = getattr(importlib.import_module(f"{__package__}.{module}"), function)
    start, end = block.marks
    return "\n".join([start, "", render(results), "", end])


def write_block(page: Path, text: str, marks: tuple[str, str]) -> None:
    """Replace what lies between ``marks`` in ``page`` with ``text`` (append it if absent)."""
    current = page.read_text() if page.exists() else "# Benchmarks\n"
    start, end = marks
    if start in current and end in current:
        head, rest = current.split(start, 1)
        current = head + text + rest.split(end, 1)[1]
    else:
        current = current.rstrip() + "\n\n" + text + "\n"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(current)


def render_pages(results: Path, docs: Path) -> dict[str, list[str]]:
    """Fill every block whose result file exists; returns the markers written and skipped."""
    done: dict[str, list[str]] = {"written": [], "skipped": []}
    for block in BLOCKS:
        source = results / block.result
        if not source.exists():
            done["skipped"].append(block.marker)
            continue
        write_block(docs / block.page, block_text(block, json.loads(source.read_text())), block.marks)
        done["written"].append(block.marker)
    return done


def render_command(results: ResultsDir = RESULTS_DIR,
                   docs: Path = typer.Option(Path("docs"), help="folder of the pages to fill")) -> None:
    """Fill the docs pages' tables from the result files."""
    done = render_pages(results, docs)
    typer.echo(f"written: {', '.join(done['written']) or 'none'}; "
               f"no result file for: {', '.join(done['skipped']) or 'none'}")
