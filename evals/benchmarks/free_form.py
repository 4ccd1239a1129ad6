"""Free-form answers: benchmark questions asked without their options, every tool's evidence.

    python -m audiorouter.evals.free_form_bench --dataset bench/test-rr.json --per-skill 3

An answer counts when it names the right option's value (`scoring.names_value`): "4" for
"4", "about 100 beats per minute" for "100 BPM", nothing of a wrong option. The options are
only used to score. Results go to results/free_form_bench.json (every answer) and a table
between markers in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path

from tqdm import tqdm

from audiorouter.agent.defaults import GGUF_MODELS
from audiorouter.agent.reasoners import CascadeReasoner
from audiorouter.evals.datasets import load_items, skills_in_turn
from audiorouter.evals.docs_page import cpu_count, write_block
from audiorouter.evals.scoring import Accuracy, names_value
from audiorouter.tools import load_audio, run_tools, tool_names
from audiorouter.tools.models import QWEN_CODER_1_5B

MARKS = ("<!-- free-form-benchmark:start -->", "<!-- free-form-benchmark:end -->")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, required=True, help="an MMAU JSON split")
    parser.add_argument("--per-skill", type=int, default=3, help="items of each skill, taken in turn")
    parser.add_argument("--model", default=QWEN_CODER_1_5B.name,
                        help="the cascade reasoner's GGUF: a model name or a path")
    parser.add_argument("--out", type=Path, default=Path("results/free_form_bench.json"))
    parser.add_argument("--docs", type=Path, default=Path("docs/benchmarks.md"))
    args = parser.parse_args(argv)

    reasoner = CascadeReasoner(GGUF_MODELS.get(args.model, args.model), use_cache=False)
    reasoner.warm_up()
    answers = []
    for item in tqdm(skills_in_turn(load_items(args.dataset), args.per_skill), desc="items"):
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
    results = {"dataset": str(args.dataset), "cpus": cpu_count(), "model": args.model,
               "date": time.strftime("%Y-%m-%d"), "accuracy": acc.value, "interval": acc.interval,
               "median_s": statistics.median(a["seconds"] for a in answers),
               "per_skill": {k: [sum(v), len(v)] for k, v in by_skill.items()}, "answers": answers}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1))
    write_block(args.docs, render(results, args), MARKS)
    print(f"free-form: {acc}")
    return results


def render(r: dict, args: argparse.Namespace) -> str:
    low, high = r["interval"]
    n = len(r["answers"])
    skills = ", ".join(f"{k} {right}/{n}" for k, (right, n) in r["per_skill"].items())
    examples = r["answers"][:: max(1, n // 6)][:6]
    return "\n".join([
        MARKS[0], "",
        f"Measured by `python -m audiorouter.evals.free_form_bench --dataset {args.dataset} "
        f"--per-skill {args.per_skill}` on {r['cpus']} CPU cores ({r['date']}): {n} questions "
        f"asked without their options, every tool, the cascade reasoner on `{r['model']}`.", "",
        f"**{100 * r['accuracy']:.1f}% [{100 * low:.0f}, {100 * high:.0f}]** name the right value "
        f"(median {r['median_s']:.2f} s per answer). Per skill: {skills}.", "",
        "| question | right option | free-form answer | counted |", "|---|---|---|---|",
        *(f"| {a['question']} | {a['answer']} | {a['text']} | {'yes' if a['correct'] else 'no'} |"
          for a in examples),
        "", MARKS[1]])


if __name__ == "__main__":
    main()
