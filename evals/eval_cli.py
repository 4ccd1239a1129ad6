"""``audiorouter eval``: every baseline on one dataset, in one resumable run, with a report.

`evals/cli.py` mounts it: ``app.command("eval")(eval_command)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from audiorouter.tools.errors import AudioRouterError
from audiorouter.tools.models import QWEN_CODER_1_5B

DEFAULT_ROUTERS = "none,all,random,llm,learned,oracle"


def eval_command(
    dataset: Path = typer.Option(..., "--dataset", help="MMAU-style .json, MMAR meta file or .jsonl of items"),
    router_names: str = typer.Option(DEFAULT_ROUTERS, "--routers", "--router",
                                help="comma-separated: none, all, random, llm, learned, oracle"),
    checkpoint: Optional[Path] = typer.Option(None, help="learned-router checkpoint (adds the learned "
                                              "router; default: the shipped one)"),
    reasoner: str = typer.Option(QWEN_CODER_1_5B.name, help="cascade reasoner: a GGUF model name or path "
                                 "(the LLM router uses the same model)"),
    out: Path = typer.Option(Path("eval-out"), "--out", help="output folder; rerun with the same one to resume"),
    limit: Optional[int] = typer.Option(None, min=1, help="evaluate only the first N items"),
    seed: int = typer.Option(0, help="seed of the random router"),
    page: Optional[Path] = typer.Option(None, help="also write the report into this docs page "
                                        "(between evaluation markers; plots beside it)"),
) -> None:
    """Evaluate routers on a dataset: accuracy per task and sub-category with 95% intervals,
    tool calls and time per stage, MMAU-format predictions, a markdown report and plots."""
    from audiorouter.agent.reasoners.cascade import CascadeReasoner
    from audiorouter.agent.reasoners.registry import GGUF_MODELS
    from audiorouter.agent.routers.learned import checkpoint_path
    from audiorouter.data.items import load_items

    from .report import write_report
    from .log import file_identity
    from .oracle import ORACLE
    from .runner import evaluate, make_routers
    from .scoring import accuracy

    names = [n.strip() for n in router_names.split(",") if n.strip()]
    if checkpoint is not None and "learned" not in names:
        names.append("learned")
    if "learned" in names:
        checkpoint = checkpoint_path(checkpoint)
    model = GGUF_MODELS.get(reasoner, reasoner)
    try:
        items = load_items(dataset)[:limit]
        routers = make_routers(names, checkpoint=checkpoint and str(checkpoint), llm=model, seed=seed)
        setup = _setup(dataset, seed, checkpoint)
        result = evaluate(items, routers, CascadeReasoner(model), out, oracle=ORACLE in names,
                          setup=setup, progress=True)
    except AudioRouterError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    shown = {**setup, "reasoner": reasoner, "routers": ", ".join(names)}
    if checkpoint:  # the report names the file by path too; resuming compares content only
        shown["learned checkpoint"] = file_identity(checkpoint, full_path=True)
    report = write_report(result, out, setup=shown, docs_page=page)
    for name, records in result.records.items():
        typer.echo(f"{name:<8} {accuracy(records)}")
    typer.echo(f"{len(items)} items in {result.wall_s:.1f} s; report: {report}")


def _setup(dataset: Path, seed: int, checkpoint: Optional[Path]) -> dict[str, str]:
    """What the results depend on: resuming under other values is refused. A checkpoint only
    shapes the learned router's records, so a first run without one can add it later."""
    from audiorouter.tools.registry import tool_versions

    from .log import file_identity

    return {"dataset": file_identity(dataset), "random seed": str(seed), "tools": tool_versions(),
            **({"learned checkpoint": file_identity(checkpoint)} if checkpoint else {})}
