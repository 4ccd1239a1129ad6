"""The `audiorouter` command line."""

from __future__ import annotations

import json
import sys
import time
from typing import Optional

import typer

from audiorouter.tools.errors import AudioRouterError

app = typer.Typer(help="AudioRouter: tool-augmented audio understanding.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)


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


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
