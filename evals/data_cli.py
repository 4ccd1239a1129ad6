"""`audiorouter data ...`: build, select from and reword the benchmark's datasets."""

from __future__ import annotations

from pathlib import Path

import typer

data_app = typer.Typer(help="The built-in perception benchmark (ground truth by construction).",
                       no_args_is_help=True, add_completion=False,
                       pretty_exceptions_enable=False)


@data_app.callback()
def _data() -> None:
    """The built-in perception benchmark (ground truth by construction)."""


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


@data_app.command("build")
def build(
    out: Path = typer.Option(..., "--out", help="output folder (JSON per split + audio/)"),
    per_skill: int = typer.Option(40, "--per-skill", min=1,
                                  help="items per skill, shared by the splits 3:1:1"),
    seed: int = typer.Option(0, "--seed", min=0, help="same seed, same files"),
    splits: str = typer.Option("train,dev,test", "--splits", help="comma-separated splits"),
    skills: str = typer.Option("", "--skills", help="comma-separated skills (default: all)"),
) -> None:
    """Render the benchmark: MMAU-format JSON per split and 16 kHz wavs."""
    from audiorouter.data import build_benchmark

    try:
        paths = build_benchmark(out, per_skill, seed, splits=_names(splits),
                                skills=_names(skills) or None)
    except ValueError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    for split, path in paths.items():
        typer.echo(f"{split}: {path}")


@data_app.command("select")
def select(
    dataset: Path = typer.Argument(..., help="an MMAU-style dataset file, e.g. bench/test.json"),
    out: Path = typer.Option(..., "--out", help="the new dataset file"),
    per_skill: int = typer.Option(0, "--per-skill", min=0,
                                  help="the first K items of every skill (0: all of them)"),
) -> None:
    """Reorder (and cut) a dataset so that it takes the skills in turn: any prefix of the new
    file covers every skill evenly (`--per-skill 3` on the test split: 48 items)."""
    from audiorouter.data.items import DatasetError, load_items, skills_in_turn, write_items

    try:
        items = skills_in_turn(load_items(dataset), per_skill or None)
    except DatasetError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    typer.echo(f"{len(items)} items: {write_items(items, out)}")


@data_app.command("reword")
def reword(
    dataset: Path = typer.Argument(..., help="a built benchmark file, e.g. bench/dev.json"),
    out: Path = typer.Option(..., "--out", help="the new dataset file"),
    seed: int = typer.Option(0, "--seed", min=0, help="same seed, same wordings"),
) -> None:
    """Ask every item again in wordings no split uses (same audio and options): how a router
    does on questions worded as it never saw them in training."""
    from audiorouter.data.benchmark.wordings import held_out_question, wording_rng
    from audiorouter.data.items import DatasetError, load_items, write_items

    try:
        items = []
        for item in load_items(dataset):
            question, meta = held_out_question(item.id, item.meta, wording_rng(seed, item.id))
            items.append(item.model_copy(update={"question": question, "meta": meta}))
    except (DatasetError, ValueError) as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    typer.echo(f"{len(items)} items: {write_items(items, out)}")
