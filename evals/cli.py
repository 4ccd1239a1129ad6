"""The `audiorouter` command line."""

from __future__ import annotations

import json
import sys
import time
from typing import Optional

import typer

from audiorouter.evals.data_cli import data_app
from audiorouter.evals.benchmarks.cli import benchmark_app
from audiorouter.evals.eval_cli import eval_command
from audiorouter.evals.experiment_cli import experiment_app
from audiorouter.evals.render import render_command
from audiorouter.tools.errors import AudioRouterError

app = typer.Typer(help="AudioRouter: tool-augmented audio understanding.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
app.add_typer(data_app, name="data", help="Build the perception benchmark.")
app.command("eval")(eval_command)
app.add_typer(benchmark_app, name="benchmark", help="Measure tool accuracy and speed; results to the results folder.")
app.command("render")(render_command)
app.add_typer(experiment_app, name="experiment", help="Experiments over evaluation folders.")


def _fail(error: Exception) -> None:
    typer.secho(f"error: {error}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


@app.command("tools")
def list_tools(as_json: bool = typer.Option(False, "--json", help="machine-readable output")) -> None:
    """List the audio tools with the JSON schema of their arguments."""
    from audiorouter.tools.registry import get_tools

    entries = [{"name": t.name, "version": t.version, "description": t.description,
                "time_budget_s": t.time_budget_s,
                "args_schema": t.tool_call_schema.model_json_schema()} for t in get_tools()]
    if as_json:
        typer.echo(json.dumps(entries, indent=2))
        return
    for e in entries:
        typer.secho(f"{e['name']}  (v{e['version']}, budget {e['time_budget_s']:g} s)", bold=True)
        typer.echo(f"  {e['description']}")
        props = e["args_schema"].get("properties", {})
        for arg, schema in props.items():
            default = f" = {schema['default']!r}" if "default" in schema else ""
            typer.echo(f"    --{arg}: {schema.get('type', schema.get('anyOf', ''))}{default}  "
                       f"{schema.get('description', '')}")


@app.command("tool")
def run_tool(
    name: str = typer.Argument(..., help="tool name (see `audiorouter tools`)"),
    audio: str = typer.Argument(..., help="audio file path, data URI or base64"),
    args: str = typer.Option("{}", "--args", help='tool arguments as JSON, e.g. \'{"top_k": 3}\''),
    as_json: bool = typer.Option(False, "--json", help="print the whole result as JSON"),
    no_cache: bool = typer.Option(False, "--no-cache", help="recompute even if cached"),
) -> None:
    """Run one tool on one audio file and print its result."""
    from audiorouter.tools.audio import load_audio
    from audiorouter.tools.registry import get_tool

    try:
        tool = get_tool(name)
        parsed = tool.parse_args(json.loads(args))
        clip = load_audio(audio)
    except json.JSONDecodeError as exc:
        _fail(ValueError(f"--args is not valid JSON: {exc}"))
    except AudioRouterError as exc:
        _fail(exc)
    result = tool.execute(clip, parsed, use_cache=not no_cache)
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
    else:
        typer.echo(f"{result.tool}: {result.summary}  [{result.seconds:.2f} s"
                   f"{', cached' if getattr(result, 'cached', False) else ''}]")
    if not result.ok:
        raise typer.Exit(1)


@app.command("demo")
def demo(
    audio: Optional[str] = typer.Argument(None, help="audio to analyse (default: the bundled example)"),
    sequential: bool = typer.Option(False, help="run the tools one after another"),
) -> None:
    """Run every tool on an audio clip (by default the bundled example) and print the evidence."""
    from audiorouter.tools.audio import load_audio
    from audiorouter.tools.examples import EXAMPLE_CLIP, EXAMPLE_DESCRIPTION
    from audiorouter.tools.registry import tool_names
    from audiorouter.tools.runner import run_tools

    try:
        clip = load_audio(audio or EXAMPLE_CLIP)
    except AudioRouterError as exc:
        _fail(exc)
    if audio is None:
        typer.echo(f"example clip: {EXAMPLE_CLIP.name} — {EXAMPLE_DESCRIPTION}")
    typer.echo(f"{clip!r}\n")
    start = time.perf_counter()
    results = run_tools(clip, tool_names(), parallel=not sequential, use_cache=False)
    wall = time.perf_counter() - start
    for r in results:
        mark = typer.style("ok ", fg=typer.colors.GREEN) if r.ok else typer.style("ERR", fg=typer.colors.RED)
        typer.echo(f"{mark} {r.tool:<17} {r.seconds:6.2f} s  {r.summary}")
    total = sum(r.seconds for r in results)
    typer.echo(f"\n{len(results)} tools, {'sequential' if sequential else 'parallel'}: wall "
               f"{wall:.2f} s (sum of tool times {total:.2f} s); first run includes model loading")


@app.command("ask")
def ask(
    audio: Optional[str] = typer.Argument(None, help="audio file, data URI or base64 (default: the bundled example)"),
    question: Optional[str] = typer.Argument(None, help="the question (default: the example's)"),
    choice: list[str] = typer.Option([], "--choice", "-c", help="an answer option; repeat for each"),
    router: Optional[str] = typer.Option(None, help="learned, all, none, llm or fixed:tool_a,tool_b"),
    checkpoint: Optional[str] = typer.Option(None, help="learned-router checkpoint"),
    reasoner: Optional[str] = typer.Option(None, help="GGUF model name or path for the cascade reasoner"),
    as_json: bool = typer.Option(False, "--json", help="print the graph's whole output as JSON"),
) -> None:
    """Ask a question about an audio clip: prints the route, each tool's evidence and the answer."""
    from audiorouter.agent.builder import build_graph
    from audiorouter.agent.reasoners.registry import make_reasoner
    from audiorouter.agent.routers.registry import make_router
    from audiorouter.tools.examples import EXAMPLE_CHOICES, EXAMPLE_CLIP, EXAMPLE_QUESTION

    if audio is None:
        audio, question, choice = str(EXAMPLE_CLIP), question or EXAMPLE_QUESTION, choice or EXAMPLE_CHOICES
        typer.echo(f"example: {EXAMPLE_CLIP.name}")
    if not question:
        _fail(ValueError("give a question after the audio"))
    try:
        graph = build_graph(make_router(router, checkpoint=checkpoint),
                            make_reasoner(reasoner))
        final: dict = {"evidence": []}
        _status("routing")
        for update in graph.stream({"audio": audio, "question": question, "choices": choice or None},
                                   stream_mode="updates"):
            for node, values in update.items():
                values = values or {}
                final.update({k: v for k, v in values.items() if k != "evidence"})
                final["evidence"].extend(values.get("evidence") or [])
                if not as_json:
                    _print_update(node, values)
                if node in ("route", "run_tool"):
                    pending = len(final["tools_used"]) - len(final["evidence"])
                    _status(f"{pending} of {len(final['tools_used'])} tools running" if pending
                            else "reasoning")
    except AudioRouterError as exc:
        _fail(exc)
    if as_json:
        typer.echo(json.dumps(final, indent=2, default=str))
    if final.get("error"):
        raise typer.Exit(1)


def _status(text: str) -> None:
    """What is running now, on stderr (stdout stays the answer)."""
    typer.secho(f"... {text}", dim=True, err=True)


def _print_update(node: str, values: dict) -> None:
    if node == "route":
        route = values["route"]
        tools = ", ".join(values["tools_used"]) or "no tools"
        scores = route.get("scores")
        extra = f"  (call probabilities: {', '.join(f'{k} {v:.2f}' for k, v in scores.items())})" if scores else ""
        typer.secho(f"route [{route['router']}]: {tools}{extra}", bold=True)
    elif node == "run_tool":
        for e in values.get("evidence", []):
            mark = typer.style("ok ", fg=typer.colors.GREEN) if e["ok"] else typer.style("ERR", fg=typer.colors.RED)
            cached = " cached" if e.get("cached") else ""
            typer.echo(f"  {mark} {e['tool']:<17} {e['seconds']:6.2f} s{cached}  {e['summary']}")
    elif node == "reason":
        if values.get("error"):
            typer.secho(f"reasoner error: {values['error']}", fg=typer.colors.RED)
        probs = values.get("probabilities")
        detail = f"  (p = {max(probs):.2f})" if probs else ""
        typer.secho(f"answer: {values.get('answer')}{detail}", bold=True)
        typer.echo(f"  reasoner took {values['timings']['reason']:.2f} s")


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
