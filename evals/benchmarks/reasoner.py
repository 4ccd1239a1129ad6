"""Compare ways of reading the evidence: accuracy, confidence and cost of reasoner variants.

    audiorouter benchmark reasoner --dataset bench/dev-rr.json --per-skill 6

Every variant answers the same items twice in one process: with every tool's evidence and
with none. Per variant: accuracy with its 95% interval, the mean probability of the right
option, the share of answers whose top probability is under 0.4, the calibration error,
median seconds per answer and prompt tokens (the item's own, after the fixed prefix).
Timing is warm: the model is loaded and its fixed prefix evaluated before the clock runs;
the answer cache is off and every prompt is evaluated from that prefix on (`local_llm`'s
anchors), so no answer reuses another's work. Choose on the dev split; the test split is for reporting.
Results go to ``reasoner.json`` in the results folder; `audiorouter render` makes the table of
docs/benchmarks.md from it. ``--add`` measures only the variants named and puts them into the
``reasoner.json`` already there (same dataset, items, model and core count): a new variant is
compared without rerunning the hour the letters take; the page names the rows added so.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import typer
from tqdm import tqdm

from audiorouter.agent.reasoners.cascade import CascadeReasoner
from audiorouter.agent.reasoners.registry import GGUF_MODELS
from audiorouter.data.items import load_items, skills_in_turn
from audiorouter.data.mmau import is_correct
from audiorouter.evals.scoring import Accuracy, confidence
from audiorouter.tools import load_audio, run_tools, tool_names
from audiorouter.tools.models import QWEN_CODER_1_5B

from .record import RESULTS_DIR, ResultsDir, command_line, cpu_count, measured, save, table

# name -> CascadeReasoner arguments; the first is the old default, the last the new one.
VARIANTS: dict[str, dict] = {
    "letters, cyclic rotations": dict(scoring="letters", examples=()),
    "option text": dict(calibration="none", examples=()),
    "option text, calibrated": dict(calibration="no_evidence", examples=()),
    "option text, worked examples, calibrated": dict(calibration="no_evidence"),
    "option text, worked examples, mean per token": dict(length="mean"),
    "option text, worked examples, sum": dict(length="sum"),
    "option text, worked examples, sum / √tokens (default)": dict(),
}


def run_variant(reasoner: CascadeReasoner, items: list, evidence: dict) -> dict:
    """Answer every item with all evidence and with none; records and per-answer costs."""
    reasoner.warm_up()
    prefix = len(reasoner.llm.tokenize(reasoner.fixed_prefix()))
    out = {"all": [], "none": []}
    for item in tqdm(items, desc="items", leave=False):
        clip = load_audio(item.audio)
        for route, ev in (("all", evidence[item.id]), ("none", [])):
            start = time.perf_counter()
            answer = reasoner.answer(clip, item.question, item.choices, ev)
            seconds = time.perf_counter() - start
            out[route].append({"id": item.id, "skill": item.sub_category, "answer": item.answer,
                               "choices": item.choices, "choice": answer.choice,
                               "probabilities": answer.probabilities, "seconds": seconds,
                               "item_tokens": (answer.prompt_tokens or 0) - prefix,
                               "correct": is_correct(item.answer, answer.text, item.choices)})
    return out


def summarise(records: list[dict]) -> dict:
    acc = Accuracy(sum(r["correct"] for r in records), len(records))
    conf = confidence(records)
    return {"accuracy": acc.value, "interval": acc.interval, "p_right": conf.mean_right,
            "low_share": conf.low_share, "ece": conf.calibration_error,
            "median_s": statistics.median(r["seconds"] for r in records),
            "item_tokens": statistics.mean(r["item_tokens"] for r in records), "n": len(records)}


def command(
    dataset: Path = typer.Option(..., help="the dev split (MMAU JSON)"),
    per_skill: int = typer.Option(6, help="items of each skill, taken in turn"),
    variants: list[str] = typer.Option(list(VARIANTS), "--variants", help="variants to compare (repeat)"),
    model: str = typer.Option(QWEN_CODER_1_5B.name, help="the cascade reasoner's GGUF: a model name or a path"),
    add: bool = typer.Option(False, "--add", help="measure only these variants and add them to the "
                             "reasoner.json in the results folder, made on the same items"),
    results: ResultsDir = RESULTS_DIR,
) -> dict:
    """Compare ways of reading the evidence: accuracy, confidence and cost of reasoner variants."""
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown:
        raise typer.BadParameter(f"unknown variants {unknown}; choose from {list(VARIANTS)}")
    items = skills_in_turn(load_items(dataset), per_skill)
    gguf = GGUF_MODELS.get(model, model)
    run = measured(command_line("reasoner", "--dataset", dataset, "--per-skill", per_skill,
                                *(["--add", *(f'--variants "{v}"' for v in variants)] if add else [])))
    setup = {"dataset": str(dataset), "items": len(items), "cpus": cpu_count(), "model": model}
    outcome = (_earlier_run(results, setup) if add else
               setup | {"date": time.strftime("%Y-%m-%d"), "variants": {}, "measured": run})
    evidence = {item.id: run_tools(load_audio(item.audio), tool_names())
                for item in tqdm(items, desc="tools")}
    for name in variants:
        runs = run_variant(CascadeReasoner(gguf, use_cache=False, **VARIANTS[name]), items, evidence)
        outcome["variants"][name] = {route: summarise(records) for route, records in runs.items()}
        outcome["variants"][name]["per_skill_all"] = {
            skill: statistics.mean(r["correct"] for r in runs["all"] if r["skill"] == skill)
            for skill in dict.fromkeys(r["skill"] for r in runs["all"])}
        typer.echo(f"{name} {json.dumps(outcome['variants'][name]['all'])}")
        if add:
            outcome["variants"][name]["added"] = run
    # VARIANTS' order, the default last; rows of variants the code no longer has are dropped
    outcome["variants"] = {name: outcome["variants"][name] for name in VARIANTS if name in outcome["variants"]}
    save(outcome, results, "reasoner")
    return outcome


def _earlier_run(results: Path, setup: dict) -> dict:
    """The saved run that ``--add`` extends (`command` drops its rows of variants the code no
    longer has); refused when it was made on other items, another model or another core count."""
    path = Path(results) / "reasoner.json"
    if not path.exists():
        raise typer.BadParameter(f"--add extends {path}, which does not exist: run the benchmark without --add first")
    earlier = json.loads(path.read_text())
    other = {k: (earlier.get(k), v) for k, v in setup.items() if earlier.get(k) != v}
    if other:
        raise typer.BadParameter(f"{path} was made with other {', '.join(other)} ({other}, as (then, now)): "
                                 "run the whole benchmark again instead of adding to it")
    return earlier


def render(r: dict) -> str:
    """The reasoner table of docs/benchmarks.md from a run's results."""
    rows = []
    for name, v in r["variants"].items():
        a, n = v["all"], v["none"]
        low, high = a["interval"]
        rows.append([name, f"{100 * a['accuracy']:.1f} [{100 * low:.0f}, {100 * high:.0f}]",
                     f"{a['p_right']:.3f}", f"{100 * a['low_share']:.0f}%", f"{a['ece']:.3f}",
                     f"{a['median_s']:.2f}", f"{a['item_tokens']:.0f}", f"{100 * n['accuracy']:.1f}",
                     f"{n['median_s']:.2f}"])
    added: dict[str, list[str]] = {}
    for name, v in r["variants"].items():
        if "added" in v:
            added.setdefault(f"`{v['added']['command']}` ({v['added']['date']})", []).append(f'"{name}"')
    added_runs = [f"the rows {', '.join(names)} added by {run} on the same items and cores; "
                  for run, names in added.items()]
    same_run = "".join(added_runs) + ("the others in one run" if added else "every variant in one run")
    return "\n".join([
        f"Measured by `{r['measured']['command']}` on {r['cpus']} CPU cores ({r['date']}): {r['items']} dev "
        f"items, `{r['model']}`, {same_run}, warm (fixed prefix evaluated, answer "
        "cache off). The last row is the default.", "",
        *table(["variant", "all tools: accuracy % [95% CI]", "p(right)", "top p < 0.4", "ECE", "median s",
                "item tokens", "no tools: accuracy %", "no tools: median s"], rows)])
