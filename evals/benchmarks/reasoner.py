"""Compare ways of reading the evidence: accuracy, confidence and cost of reasoner variants.

    python -m audiorouter.evals.reasoner_bench --dataset bench/dev-rr.json --per-skill 6

Every variant answers the same items twice in one process: with every tool's evidence and
with none. Per variant: accuracy with its 95% interval, the mean probability of the right
option, the share of answers whose top probability is under 0.4, the calibration error,
median seconds per answer and prompt tokens (the item's own, after the fixed prefix).
Timing is warm: the model is loaded and its fixed prefix evaluated before the clock runs;
the answer cache is off and every prompt is evaluated from that prefix on (`local_llm`'s
anchors), so no answer reuses another's work. Choose on the dev split; the test split is for reporting.
Results go to results/reasoner_bench.json and a table between markers in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from tqdm import tqdm

from audiorouter.agent.defaults import GGUF_MODELS
from audiorouter.agent.reasoners import CascadeReasoner
from audiorouter.evals.datasets import load_items, skills_in_turn
from audiorouter.evals.docs_page import cpu_count, write_block
from audiorouter.evals.scoring import Accuracy, confidence, is_correct
from audiorouter.tools import load_audio, run_tools, tool_names
from audiorouter.tools.models import QWEN_CODER_1_5B

MARKS = ("<!-- reasoner-benchmark:start -->", "<!-- reasoner-benchmark:end -->")

# name -> CascadeReasoner arguments; the first is the old default, the last the new one.
VARIANTS: dict[str, dict] = {
    "letters, cyclic rotations": dict(scoring="letters", examples=()),
    "option text": dict(calibration="none", examples=()),
    "option text, calibrated": dict(calibration="no_evidence", examples=()),
    "option text, worked examples, calibrated": dict(calibration="no_evidence"),
    "option text, worked examples (default)": dict(),
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


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, required=True, help="the dev split (MMAU JSON)")
    parser.add_argument("--per-skill", type=int, default=6, help="items of each skill, taken in turn")
    parser.add_argument("--variants", nargs="*", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--model", default=QWEN_CODER_1_5B.name,
                        help="the cascade reasoner's GGUF: a model name or a path")
    parser.add_argument("--out", type=Path, default=Path("results/reasoner_bench.json"))
    parser.add_argument("--docs", type=Path, default=Path("docs/benchmarks.md"))
    args = parser.parse_args(argv)

    items = skills_in_turn(load_items(args.dataset), args.per_skill)
    model = GGUF_MODELS.get(args.model, args.model)
    evidence = {item.id: run_tools(load_audio(item.audio), tool_names())
                for item in tqdm(items, desc="tools")}
    results = {"dataset": str(args.dataset), "items": len(items), "cpus": cpu_count(), "model": args.model,
               "date": time.strftime("%Y-%m-%d"), "variants": {}}
    for name in args.variants:
        runs = run_variant(CascadeReasoner(model, use_cache=False, **VARIANTS[name]), items, evidence)
        results["variants"][name] = {route: summarise(records) for route, records in runs.items()}
        results["variants"][name]["per_skill_all"] = {
            skill: statistics.mean(r["correct"] for r in runs["all"] if r["skill"] == skill)
            for skill in dict.fromkeys(r["skill"] for r in runs["all"])}
        print(name, json.dumps(results["variants"][name]["all"]), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1))
    write_block(args.docs, render(results, args), MARKS)
    return results


def render(r: dict, args: argparse.Namespace) -> str:
    rows = []
    for name, v in r["variants"].items():
        a, n = v["all"], v["none"]
        low, high = a["interval"]
        rows.append(f"| {name} | {100 * a['accuracy']:.1f} [{100 * low:.0f}, {100 * high:.0f}] | "
                    f"{a['p_right']:.3f} | {100 * a['low_share']:.0f}% | {a['ece']:.3f} | "
                    f"{a['median_s']:.2f} | {a['item_tokens']:.0f} | {100 * n['accuracy']:.1f} | "
                    f"{n['median_s']:.2f} |")
    return "\n".join([
        MARKS[0], "",
        f"Measured by `python -m audiorouter.evals.reasoner_bench --dataset {args.dataset} --per-skill "
        f"{args.per_skill}` on {r['cpus']} CPU cores ({r['date']}): {r['items']} dev items, "
        f"`{r['model']}`, every variant in the same run, warm (fixed prefix evaluated, answer "
        "cache off). The last row is the default.", "",
        "| variant | all tools: accuracy % [95% CI] | p(right) | top p < 0.4 | ECE | median s | "
        "item tokens | no tools: accuracy % | no tools: median s |",
        "|---|---|---|---|---|---|---|---|---|", *rows, "", MARKS[1]])


if __name__ == "__main__":
    main()
