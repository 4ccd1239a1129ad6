"""Free-form answers: benchmark questions asked without their options, every tool's evidence.

    audiorouter benchmark free-form --dataset bench/test-rr.json --per-skill 3

An answer counts when it names the right option's value (`scoring.names_value`): "4" for
"4", "about 100 beats per minute" for "100 BPM", nothing of a wrong option. The options are
only used to score. Results go to ``free_form.json`` in the results folder (every answer);
`audiorouter render` makes the table of docs/benchmarks.md from it.
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from pathlib import Path

import typer
from tqdm import tqdm

from audiorouter.agent.reasoners.cascade import CascadeReasoner
from audiorouter.agent.reasoners.registry import GGUF_MODELS
from audiorouter.data.items import load_items, skills_in_turn
from audiorouter.evals.scoring import Accuracy, names_value
from audiorouter.tools import load_audio, run_tools, tool_names
from audiorouter.tools.models import QWEN_CODER_1_5B

from .record import RESULTS_DIR, ResultsDir, command_line, cpu_count, measured, save, table


def command(
    dataset: Path = typer.Option(..., help="an MMAU JSON split"),
    per_skill: int = typer.Option(3, help="items of each skill, taken in turn"),
    model: str = typer.Option(QWEN_CODER_1_5B.name, help="the cascade reasoner's GGUF: a model name or a path"),
    results: ResultsDir = RESULTS_DIR,
) -> dict:
    """Free-form answers: benchmark questions asked without their options, every tool's evidence."""
    reasoner = CascadeReasoner(GGUF_MODELS.get(model, model), use_cache=False)
    reasoner.warm_up()
    answers = []
    for item in tqdm(skills_in_turn(load_items(dataset), per_skill), desc="items"):
        clip = load_audio(item.audio)
        evidence = run_tools(clip, tool_names())
        answer = reasoner.answer(clip, item.question, None, evidence)
        answers.append({"id": item.id, "skill": item.sub_category, "question": item.question,
                        "answer": item.answer, "choices": item.choices, "text": answer.text,
                        "seconds": answer.seconds,
                        "correct": names_value(item.answer, answer.text, item.choices)})
    by_skill = defaultdict(list)
    for a in answers:
        by_skill[a["skill"]].append(a["correct"])
    acc = Accuracy(sum(a["correct"] for a in answers), len(answers))
    outcome = {"dataset": str(dataset), "cpus": cpu_count(), "model": model,
               "date": time.strftime("%Y-%m-%d"), "accuracy": acc.value, "interval": acc.interval,
               "median_s": statistics.median(a["seconds"] for a in answers),
               "per_skill": {k: [sum(v), len(v)] for k, v in by_skill.items()}, "answers": answers,
               "measured": measured(command_line("free-form", "--dataset", dataset, "--per-skill", per_skill))}
    save(outcome, results, "free_form")
    typer.echo(f"free-form: {acc}")
    return outcome


def render(r: dict) -> str:
    """The free-form table of docs/benchmarks.md from a run's results."""
    low, high = r["interval"]
    n = len(r["answers"])
    skills = ", ".join(f"{k} {right}/{n}" for k, (right, n) in r["per_skill"].items())
    examples = r["answers"][:: max(1, n // 6)][:6]
    return "\n".join([
        f"Measured by `{r['measured']['command']}` on {r['cpus']} CPU cores ({r['date']}): {n} questions "
        f"asked without their options, every tool, the cascade reasoner on `{r['model']}`.", "",
        f"**{100 * r['accuracy']:.1f}% [{100 * low:.0f}, {100 * high:.0f}]** name the right value "
        f"(median {r['median_s']:.2f} s per answer). Per skill: {skills}.", "",
        *table(["question", "right option", "free-form answer", "counted"],
               ([a["question"], a["answer"], a["text"], "yes" if a["correct"] else "no"] for a in examples))])
