"""``audiorouter experiment ...``: the experiments over evaluation folders, one command each.

`evals/cli.py` mounts it: ``app.add_typer(experiment_app, name="experiment")``. Each command
imports its experiment when it runs, so the CLI starts without torch.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

experiment_app = typer.Typer(help="Experiments over evaluation folders.", no_args_is_help=True,
                             add_completion=False, pretty_exceptions_enable=False)


def _values(text: str) -> list[str]:
    return [value.strip() for value in text.split(",") if value.strip()]


@experiment_app.command("agreement")
def agreement_command(
    a: Path = typer.Argument(..., help="an evaluation folder"),
    b: Path = typer.Argument(..., help="another evaluation folder of the same items"),
) -> None:
    """Do two evaluations of the same items choose the same options?"""
    from audiorouter.evals.experiments.agreement import agreement

    for router, r in agreement(a, b).items():
        typer.echo(f"{router}: same option on {100 * r['same_choice']:.1f}% of {r['items']} items; "
                   f"largest probability change {r['max_probability_change']:.2g}")


@experiment_app.command("wording-check")
def wording_check_command(
    seen: Path = typer.Argument(..., help="evaluation folder, items in the trained wordings"),
    held_out: Path = typer.Argument(..., help="evaluation folder, the same items reworded"),
    router: str = typer.Option("learned", "--router", help="router to compare"),
    out: Optional[Path] = typer.Option(None, "--out", help="also write the comparison here as JSON"),
) -> None:
    """Does a router route by what a question asks, or by its words?"""
    from audiorouter.evals.experiments.wording_check import compare

    name = f"predictions-{router}.json"
    result = compare(json.loads((seen / name).read_text()), json.loads((held_out / name).read_text()))
    low, high = result["difference_95ci"]
    typer.echo(f"{router} on {result['items']} items: {100 * result['accuracy_seen']:.1f}% in trained "
               f"wordings, {100 * result['accuracy_held_out']:.1f}% in held-out ones (difference "
               f"{100 * result['difference']:+.1f} points [{100 * low:+.1f}, {100 * high:+.1f}]); "
               f"same route on {100 * result['same_route']:.0f}%; calls {result['calls_seen']:.2f} "
               f"and {result['calls_held_out']:.2f}")
    for s in result["largest_call_rate_shifts"]:
        typer.echo(f"  {s['skill']:<18} {s['tool']:<17} {s['seen']:.2f} -> {s['held_out']:.2f}")
    if out:
        out.write_text(json.dumps(result, indent=1))


@experiment_app.command("data-efficiency")
def data_efficiency_command(
    train: str = typer.Option(..., "--train", help="training items (MMAU-style JSON), taken skill by skill"),
    test: str = typer.Option(..., "--test", help="test items"),
    sizes: str = typer.Option("16,32,64,128,256", "--sizes", help="comma-separated training-set sizes"),
    seeds: str = typer.Option("0,1,2", "--seeds", help="comma-separated training seeds per size"),
    runs: str = typer.Option("", "--runs", help="comma-separated size:seed pairs (e.g. 16:0,16:1,32:0) "
                             "instead of every size with every seed"),
    out: str = typer.Option("runs/data-efficiency", "--out", help="output folder; rerun with the same one to resume"),
    reasoner: Optional[str] = typer.Option(None, "--reasoner", help="cascade reasoner model name or GGUF path"),
    test_limit: Optional[int] = typer.Option(None, "--test-limit", min=1, help="evaluate only the first N test items"),
    page: Optional[str] = typer.Option(None, "--page", help="docs page to write the table into"),
    train_arg: list[str] = typer.Option([], "--train-arg", help="a training argument as NAME=VALUE "
                                        "(e.g. epochs=3), shared by every run; repeat for each"),
) -> None:
    """Routers trained on N items (several seeds) against no tools, all tools and the oracle."""
    from audiorouter.evals.experiments.data_efficiency import Config, run, train_args

    try:
        config = Config(train=train, test=test, sizes=[int(s) for s in _values(sizes)],
                        seeds=[int(s) for s in _values(seeds)], runs=_values(runs) or None, out=out,
                        reasoner=reasoner, test_limit=test_limit, page=page, train_args=train_args(train_arg))
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    run(config)
