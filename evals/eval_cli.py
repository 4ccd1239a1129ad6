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
    ray: Optional[str] = typer.Option(None, help="answer on Ray workers: 'local' (a Ray instance here), "
                                      "'auto' (this machine's cluster) or an address; the same files"),
    ray_workers: int = typer.Option(2, min=1, help="Ray workers, each holding the tools and reasoner"),
    ray_num_cpus: float = typer.Option(1.0, min=0.01, help="CPUs per Ray worker (its reasoner's threads)"),
    ray_num_gpus: float = typer.Option(0.0, min=0, help="GPUs per Ray worker (1: one reasoner per GPU)"),
) -> None:
    """Evaluate routers on a dataset: accuracy per task and sub-category with 95% intervals,
    tool calls and time per stage, MMAU-format predictions, a markdown report and plots."""
    from audiorouter.agent.routers.learned import checkpoint_path

    from .log import file_identity
    from .ray_answers import answered_on
    from .report import write_report
    from .scoring import accuracy
    from .task import dataset_task

    names = [n.strip() for n in router_names.split(",") if n.strip()]
    if checkpoint is not None and "learned" not in names:
        names.append("learned")
    if "learned" in names:
        checkpoint = checkpoint_path(checkpoint)
    try:
        task = dataset_task(dataset, names, reasoner=reasoner, checkpoint=checkpoint, seed=seed, limit=limit)
        with answered_on(ray, task.reasoner, ray_workers, ray_num_cpus, ray_num_gpus) as answers:
            result = task.run(out, progress=True, answers=answers)
    except AudioRouterError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    shown = {**task.setup, "reasoner": reasoner, "routers": ", ".join(names)}
    if checkpoint:  # the report names the file by path too; resuming compares content only
        shown["learned checkpoint"] = file_identity(checkpoint, full_path=True)
    report = write_report(result, out, setup=shown, docs_page=page)
    for name, records in result.records.items():
        typer.echo(f"{name:<8} {accuracy(records)}")
    typer.echo(f"{len(task.items)} items in {result.wall_s:.1f} s; report: {report}")

